package switchboard

/*
#include <stdint.h>
#include <stdlib.h>
#include <switchboard.h>
#include "shim.h"
*/
import "C"

import (
	"errors"
	"runtime/cgo"
	"unsafe"
)

// Clock supplies the time. Return epoch milliseconds; an error fails the
// library call that asked, which then changes nothing.
type Clock interface {
	NowMs() (int64, error)
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() (int64, error)

func (f ClockFunc) NowMs() (int64, error) { return f() }

// SMS is an outbound text the library asks the carrier to send.
type SMS struct {
	From, To, Body string
	Media          []string
	IdempotencyKey string
}

// Email is an outbound e-mail (alerts, invitations).
type Email struct {
	To, Subject, Body, IdempotencyKey string
}

// CallOriginate asks for a new call leg.
type CallOriginate struct {
	CallRef, From, To string
	TimeoutMs         int64
}

// Play says what to play on a leg (Kind: 0 speech, 1 media, 2 ringback, 3 hold music, 4 beep).
type Play struct {
	Kind    int
	Content string
	Loop    bool
}

// Record asks to record a leg.
type Record struct {
	MaxMs       int64
	FinishOnKey string
}

// A carrier is any value implementing some of these interfaces. Commands whose
// interface it lacks are refused by the library with ErrNotSupported.

// SMSSender sends texts and returns the carrier's message id.
type SMSSender interface {
	SendSMS(SMS) (string, error)
}

// EmailSender sends e-mail and returns the carrier's id.
type EmailSender interface {
	SendEmail(Email) (string, error)
}

// CallController places and controls call legs.
type CallController interface {
	Originate(CallOriginate) (string, error)
	Cancel(leg string) error
	Answer(leg string) error
	Play(leg string, p Play) error
	Hold(leg string, on bool) error
	Bridge(legA, legB string) error
	Record(leg string, r Record) error
	Hangup(leg string) error
}

// TimerService reports timers back to the host's event loop.
type TimerService interface {
	TimerStart(id string, dueMs int64) error
	TimerStop(id string) error
}

// callbackState is what C's userdata points to (through a cgo.Handle): the
// host's clock and carrier, and the first failure of the current call.
type callbackState struct {
	clock   Clock
	carrier interface{}
	notify  func(Alert) // the host's alert callback (NotifySet), or nil
	pending error
}

func carrierMask(c interface{}) C.uint {
	var m C.uint
	if _, ok := c.(SMSSender); ok {
		m |= C.SBGO_SMS
	}
	if _, ok := c.(EmailSender); ok {
		m |= C.SBGO_EMAIL
	}
	if _, ok := c.(CallController); ok {
		m |= C.SBGO_CALLS
	}
	if _, ok := c.(TimerService); ok {
		m |= C.SBGO_TIMERS
	}
	return m
}

// newUserdata stores a handle to st in C memory (C may keep C pointers only).
func newUserdata(st *callbackState) (unsafe.Pointer, cgo.Handle) {
	h := cgo.NewHandle(st)
	ud := C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0))))
	*(*C.uintptr_t)(ud) = C.uintptr_t(h)
	return ud, h
}

func stateOf(ud unsafe.Pointer) *callbackState {
	return cgo.Handle(*(*C.uintptr_t)(ud)).Value().(*callbackState)
}

// guard runs host code for C: an error or a panic becomes -1 for C and is
// kept for the Go caller of the library function.
func guard(ud unsafe.Pointer, fn func(st *callbackState) error) (rc C.int) {
	st := stateOf(ud)
	defer func() {
		if r := recover(); r != nil {
			if st.pending == nil {
				st.pending = &PanicError{Value: r}
			}
			rc = -1
		}
	}()
	if err := fn(st); err != nil {
		if st.pending == nil {
			st.pending = err
		}
		return -1
	}
	return 0
}

func writeID(out *C.char, cap C.size_t, id string, err error) error {
	if err != nil {
		return err
	}
	if id == "" {
		return errors.New("carrier returned an empty id")
	}
	if len(id)+1 > int(cap) {
		return errors.New("carrier id too long")
	}
	buf := unsafe.Slice((*byte)(unsafe.Pointer(out)), int(cap))
	copy(buf, id)
	buf[len(id)] = 0
	return nil
}

func goStr(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

//export sbgoClockNow
func sbgoClockNow(ud unsafe.Pointer, out *C.int64_t) C.int {
	return guard(ud, func(st *callbackState) error {
		ms, err := st.clock.NowMs()
		*out = C.int64_t(ms)
		return err
	})
}

//export sbgoSendSMS
func sbgoSendSMS(ud unsafe.Pointer, m *C.sb_sms, out *C.char, cap C.size_t) C.int {
	return guard(ud, func(st *callbackState) error {
		sms := SMS{From: goStr(m.from), To: goStr(m.to), Body: goStr(m.body), IdempotencyKey: goStr(m.idempotency_key)}
		if m.media != nil {
			for _, p := range unsafe.Slice(m.media, int(m.media_count)) {
				sms.Media = append(sms.Media, goStr(p))
			}
		}
		id, err := st.carrier.(SMSSender).SendSMS(sms)
		return writeID(out, cap, id, err)
	})
}

//export sbgoSendEmail
func sbgoSendEmail(ud unsafe.Pointer, m *C.sb_email, out *C.char, cap C.size_t) C.int {
	return guard(ud, func(st *callbackState) error {
		id, err := st.carrier.(EmailSender).SendEmail(Email{goStr(m.to), goStr(m.subject), goStr(m.body), goStr(m.idempotency_key)})
		return writeID(out, cap, id, err)
	})
}

//export sbgoCallOriginate
func sbgoCallOriginate(ud unsafe.Pointer, r *C.sb_call_originate, out *C.char, cap C.size_t) C.int {
	return guard(ud, func(st *callbackState) error {
		id, err := st.carrier.(CallController).Originate(CallOriginate{goStr(r.call_ref), goStr(r.from), goStr(r.to), int64(r.timeout_ms)})
		return writeID(out, cap, id, err)
	})
}

func calls(st *callbackState) CallController { return st.carrier.(CallController) }

//export sbgoCallCancel
func sbgoCallCancel(ud unsafe.Pointer, leg *C.char) C.int {
	return guard(ud, func(st *callbackState) error { return calls(st).Cancel(goStr(leg)) })
}

//export sbgoCallAnswer
func sbgoCallAnswer(ud unsafe.Pointer, leg *C.char) C.int {
	return guard(ud, func(st *callbackState) error { return calls(st).Answer(goStr(leg)) })
}

//export sbgoCallPlay
func sbgoCallPlay(ud unsafe.Pointer, leg *C.char, p *C.sb_play) C.int {
	return guard(ud, func(st *callbackState) error {
		return calls(st).Play(goStr(leg), Play{int(p.kind), goStr(p.content), p.loop != 0})
	})
}

//export sbgoCallHold
func sbgoCallHold(ud unsafe.Pointer, leg *C.char, on C.int) C.int {
	return guard(ud, func(st *callbackState) error { return calls(st).Hold(goStr(leg), on != 0) })
}

//export sbgoCallBridge
func sbgoCallBridge(ud unsafe.Pointer, a, b *C.char) C.int {
	return guard(ud, func(st *callbackState) error { return calls(st).Bridge(goStr(a), goStr(b)) })
}

//export sbgoCallRecord
func sbgoCallRecord(ud unsafe.Pointer, leg *C.char, r *C.sb_record) C.int {
	return guard(ud, func(st *callbackState) error {
		return calls(st).Record(goStr(leg), Record{int64(r.max_ms), goStr(r.finish_on_key)})
	})
}

//export sbgoCallHangup
func sbgoCallHangup(ud unsafe.Pointer, leg *C.char) C.int {
	return guard(ud, func(st *callbackState) error { return calls(st).Hangup(goStr(leg)) })
}

//export sbgoTimerStart
func sbgoTimerStart(ud unsafe.Pointer, id *C.char, due C.int64_t) C.int {
	return guard(ud, func(st *callbackState) error {
		return st.carrier.(TimerService).TimerStart(goStr(id), int64(due))
	})
}

//export sbgoTimerStop
func sbgoTimerStop(ud unsafe.Pointer, id *C.char) C.int {
	return guard(ud, func(st *callbackState) error { return st.carrier.(TimerService).TimerStop(goStr(id)) })
}
