// Package switchboard is the Go binding of switchboard, the communication core
// of a healthcare practice. It wraps the C library through cgo and uses only
// the standard library.
//
// A Practice is safe for use by several goroutines: calls are serialised. A
// clock or carrier callback must not call back into the same Practice.
package switchboard

/*
#cgo pkg-config: switchboard
#include <stdlib.h>
#include <switchboard.h>
#include "shim.h"
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// ActorSystem is the actor that stands for the host or the library itself.
const ActorSystem int64 = 0

// KeyBytes is the size of a master key.
const KeyBytes = 32

// Sync is how hard SQLite syncs at commit.
type Sync int

const (
	SyncFull   Sync = 0 // durable across power loss (the default)
	SyncNormal Sync = 1 // faster; the last commits may be lost on power loss
)

// Options configure Open. The zero value is valid.
type Options struct {
	Practice    string        // which practice of the store; "" means "default"
	Key         []byte        // a KeyBytes master key, or nil; with it PHI is stored sealed
	Clock       Clock         // nil: real time
	Carrier     interface{}   // implements some of SMSSender, EmailSender, CallController, TimerService; or a NativeCarrier
	Sync        Sync          // SQLite: SyncFull (default) or SyncNormal
	BusyTimeout time.Duration // wait for another writer's lock (PostgreSQL: lock_timeout); 0 means 5s, <0 fail at once
}

// Practice is one open practice of a store.
type Practice struct {
	mu     sync.Mutex
	c      *C.sb_practice
	state  *callbackState
	handle cgo.Handle
	ud     unsafe.Pointer
	native NativeCarrier // kept alive while the practice uses it
}

// Version is the running library's version number (major*10000+minor*100+patch).
func Version() int { return int(C.sb_version()) }

// VersionString is the running library's version as text.
func VersionString() string { return C.GoString(C.sb_version_string()) }

func cString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

// Open opens (creating when needed) a practice in the store at path: a
// SQLite file (":memory:" for a private in-memory store), or PostgreSQL when
// path is a postgresql:// or postgres:// URI.
func Open(path string, opts *Options) (*Practice, error) {
	kind := C.SBGO_STORE_SQLITE
	if strings.HasPrefix(path, "postgresql://") || strings.HasPrefix(path, "postgres://") {
		kind = C.SBGO_STORE_POSTGRES
	}
	return open(kind, path, nil, opts)
}

// OpenPostgres opens a practice in PostgreSQL over a new connection. conninfo
// is a libpq connection string: "host=db dbname=clinic user=app" or a URI.
// The server must be PostgreSQL 11 or later with a UTF8 database.
func OpenPostgres(conninfo string, opts *Options) (*Practice, error) {
	return open(C.SBGO_STORE_POSTGRES, conninfo, nil, opts)
}

// OpenPGConn opens a practice over a libpq connection (a *PGconn) the caller
// holds. The caller keeps it open, idle and otherwise unused while the
// Practice lives, and closes it after Close.
func OpenPGConn(conn unsafe.Pointer, opts *Options) (*Practice, error) {
	if conn == nil {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "conn is nil"}
	}
	return open(C.SBGO_STORE_PGCONN, "", conn, opts)
}

func busyMillis(d time.Duration) int {
	switch {
	case d > 0:
		return int(d / time.Millisecond)
	case d < 0:
		return 0
	default:
		return 5000
	}
}

func open(kind int, where string, conn unsafe.Pointer, opts *Options) (*Practice, error) {
	if opts == nil {
		opts = &Options{}
	}
	st := &callbackState{clock: opts.Clock, carrier: opts.Carrier}
	native, _ := opts.Carrier.(NativeCarrier)
	var fill, ctx unsafe.Pointer
	if native != nil {
		fill, ctx, st.carrier = native.NativeCarrier()
	}
	ud, h := newUserdata(st)
	cwhere, cname := C.CString(where), cString(opts.Practice)
	defer C.free(unsafe.Pointer(cwhere))
	defer C.free(unsafe.Pointer(cname))
	var key *C.uchar
	if opts.Key != nil {
		key = (*C.uchar)(C.CBytes(opts.Key))
		defer C.sbgo_free_secret(unsafe.Pointer(key), C.size_t(len(opts.Key)))
	}
	withClock := C.int(0)
	if opts.Clock != nil {
		withClock = 1
	}
	var why [256]C.char
	var cp *C.sb_practice
	rc := C.sbgo_open(&cp, C.int(kind), cwhere, conn, &why[0], C.size_t(len(why)), cname, key,
		C.size_t(len(opts.Key)), C.int(opts.Sync), C.int(busyMillis(opts.BusyTimeout)), withClock,
		carrierMask(st.carrier), ud, fill, ctx)
	if rc != 0 {
		var err error
		if cp == nil { // the store itself did not open
			err = &Error{Code: int(rc), Detail: C.GoString(&why[0])}
		} else {
			err = failure(st, int(rc), cp)
		}
		C.sb_practice_free(cp)
		h.Delete()
		C.free(ud)
		return nil, err
	}
	p := &Practice{c: cp, state: st, handle: h, ud: ud, native: native}
	runtime.SetFinalizer(p, (*Practice).Close)
	if native != nil {
		if err := native.BindPractice(p); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

// failure turns a failed call into a Go error: what a callback raised first,
// else the code with the handle's detail message.
func failure(st *callbackState, rc int, cp *C.sb_practice) error {
	pending := st.pending
	st.pending = nil
	if pending != nil {
		return &CallbackError{Err: pending, Detail: C.GoString(C.sb_practice_errmsg(cp))}
	}
	if rc == 0 {
		return nil
	}
	return &Error{Code: rc, Detail: C.GoString(C.sb_practice_errmsg(cp))}
}

// call runs fn on the open handle with the lock held and maps its result.
func (p *Practice) call(fn func(cp *C.sb_practice) C.int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.c == nil {
		return &Error{Code: int(C.SB_ESTATE), Detail: "the practice is closed"}
	}
	rc := fn(p.c)
	err := failure(p.state, int(rc), p.c)
	runtime.KeepAlive(p)
	return err
}

// Close closes the practice, rolling back an open transaction. Safe to repeat.
func (p *Practice) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.c == nil {
		return nil
	}
	C.sb_practice_free(p.c)
	p.c = nil
	p.handle.Delete()
	C.free(p.ud)
	p.ud = nil
	runtime.SetFinalizer(p, nil)
	return nil
}

// ID is the practice's id in the store (0 once closed).
func (p *Practice) ID() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.c == nil {
		return 0
	}
	return int64(C.sb_practice_id(p.c))
}

// Now is the practice clock's time in epoch milliseconds.
func (p *Practice) Now() (int64, error) {
	var out C.int64_t
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_practice_now(&out, cp) })
	return int64(out), err
}

// Begin starts a transaction; calls may nest.
func (p *Practice) Begin() error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_practice_begin(cp) })
}

// Commit commits the innermost transaction.
func (p *Practice) Commit() error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_practice_commit(cp) })
}

// Rollback undoes the innermost transaction.
func (p *Practice) Rollback() error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_practice_rollback(cp) })
}

// Transaction runs fn inside a transaction: committed when fn returns nil,
// rolled back when it returns an error or panics.
func (p *Practice) Transaction(fn func() error) (err error) {
	if err = p.Begin(); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			p.Rollback()
			panic(r)
		}
	}()
	if err = fn(); err != nil {
		p.Rollback()
		return err
	}
	return p.Commit()
}
