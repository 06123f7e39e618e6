// Package pqtest gives the binding's tests just enough libpq to make a
// schema and lend a connection. It is not part of the binding's API.
package pqtest

/*
#cgo pkg-config: libpq
#include <stdlib.h>
#include <libpq-fe.h>
*/
import "C"

import (
	"errors"
	"unsafe"
)

// Connect opens a libpq connection and returns its *PGconn.
func Connect(uri string) (unsafe.Pointer, error) {
	c := C.CString(uri)
	defer C.free(unsafe.Pointer(c))
	conn := C.PQconnectdb(c)
	if C.PQstatus(conn) != C.CONNECTION_OK {
		msg := C.GoString(C.PQerrorMessage(conn))
		C.PQfinish(conn)
		return nil, errors.New(msg)
	}
	p := unsafe.Pointer(conn)
	Exec(p, "SET client_min_messages = warning") // no NOTICE chatter in test output
	return p, nil
}

// Exec runs SQL without parameters.
func Exec(conn unsafe.Pointer, sql string) error {
	c := C.CString(sql)
	defer C.free(unsafe.Pointer(c))
	res := C.PQexec((*C.PGconn)(conn), c)
	defer C.PQclear(res)
	if s := C.PQresultStatus(res); s != C.PGRES_COMMAND_OK && s != C.PGRES_TUPLES_OK {
		return errors.New(C.GoString(C.PQerrorMessage((*C.PGconn)(conn))))
	}
	return nil
}

// Idle reports whether the connection is open and outside any transaction.
func Idle(conn unsafe.Pointer) bool {
	pc := (*C.PGconn)(conn)
	return C.PQstatus(pc) == C.CONNECTION_OK && C.PQtransactionStatus(pc) == C.PQTRANS_IDLE
}

// Finish closes the connection.
func Finish(conn unsafe.Pointer) { C.PQfinish((*C.PGconn)(conn)) }
