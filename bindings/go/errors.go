package switchboard

/*
#include <switchboard.h>
*/
import "C"

import "fmt"

// Error is a failure reported by the library: Code is the C sb_error value and
// Detail the handle's detail message (it never contains PHI). errors.Is matches
// it against the Err* sentinels by code.
type Error struct {
	Code   int
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return "switchboard: " + StrError(e.Code)
	}
	return "switchboard: " + StrError(e.Code) + ": " + e.Detail
}

// Is reports whether target is the sentinel for e's code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Detail == "" && t.Code == e.Code
}

// Sentinels, one per sb_error code, for errors.Is.
var (
	ErrGeneric      = &Error{Code: -1}
	ErrNoMemory     = &Error{Code: -2}
	ErrInvalid      = &Error{Code: -3}
	ErrNotFound     = &Error{Code: -4}
	ErrConflict     = &Error{Code: -5}
	ErrDenied       = &Error{Code: -6}
	ErrUTF8         = &Error{Code: -7}
	ErrPhone        = &Error{Code: -8}
	ErrTooBig       = &Error{Code: -9}
	ErrStore        = &Error{Code: -10}
	ErrBusy         = &Error{Code: -11}
	ErrSchema       = &Error{Code: -12}
	ErrKey          = &Error{Code: -13}
	ErrCrypto       = &Error{Code: -14}
	ErrCorrupt      = &Error{Code: -15}
	ErrVersion      = &Error{Code: -16}
	ErrState        = &Error{Code: -17}
	ErrCallback     = &Error{Code: -18}
	ErrNotSupported = &Error{Code: -19}
	ErrRoute        = &Error{Code: -20}
	ErrSecure       = &Error{Code: -21}
	ErrEmail        = &Error{Code: -22}
	ErrCode         = &Error{Code: -23}
	ErrExpired      = &Error{Code: -24}
	ErrLimit        = &Error{Code: -25}
	ErrEmergency    = &Error{Code: -26}
	ErrTransfer     = &Error{Code: -27}
	ErrTree         = &Error{Code: -28}
	ErrSignature    = &Error{Code: -29}
	ErrWebhook      = &Error{Code: -30}
)

// CallbackError is returned when a Go clock or carrier returned an error or
// panicked during a library call. It matches ErrCallback and unwraps to the
// callback's own error.
type CallbackError struct {
	Err    error
	Detail string
}

func (e *CallbackError) Error() string {
	return fmt.Sprintf("switchboard: host callback failed: %v", e.Err)
}

func (e *CallbackError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrCallback) true.
func (e *CallbackError) Is(target error) bool { return target == ErrCallback }

// PanicError carries a panic recovered in a callback.
type PanicError struct{ Value interface{} }

func (e *PanicError) Error() string { return fmt.Sprintf("panic in callback: %v", e.Value) }

// StrError is the static text for an error code.
func StrError(code int) string {
	return C.GoString(C.sb_strerror(C.int(code)))
}
