package switchboard

/*
#include <switchboard.h>
*/
import "C"

import "unsafe"

// NativeCarrier is a carrier written in C, such as the Twilio adapter
// (package switchboard/twilio). Pass it as Options.Carrier.
type NativeCarrier interface {
	// NativeCarrier returns a C function
	//   int fill(sb_carrier *out, void *ctx, const sb_carrier *host)
	// that fills the practice's carrier, its ctx, and the Go value that
	// serves what the C carrier hands back to the host (e-mail and timers:
	// EmailSender, TimerService), or nil.
	NativeCarrier() (fill, ctx unsafe.Pointer, host interface{})
	// BindPractice is told the practice that opened with it; an error
	// (it serves another practice already) closes the practice again.
	BindPractice(p *Practice) error
}

// Native runs fn with the practice's C handle (an sb_practice *) under the
// practice's lock, for companion libraries written in C. fn returns an
// sb_error code and, when it failed, a detail ("" takes the practice's
// message). What a Go callback returned during fn comes out first. fn must
// not keep the handle.
func (p *Practice) Native(fn func(handle unsafe.Pointer) (int, string)) error {
	var detail string
	err := p.call(func(cp *C.sb_practice) C.int {
		rc, d := fn(unsafe.Pointer(cp))
		detail = d
		return C.int(rc)
	})
	if e, ok := err.(*Error); ok && detail != "" {
		e.Detail = detail
	}
	return err
}
