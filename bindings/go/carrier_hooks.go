package switchboard

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import "unsafe"

// These run a Go carrier through the same C vtable the library receives, so
// the tests prove the whole path (cgo files cannot be tests themselves). The
// library has no public call yet that sends a text; messaging brings one.

func withCarrier(carrier interface{}, fn func(ud unsafe.Pointer, mask C.uint) C.int) (int, error) {
	st := &callbackState{carrier: carrier}
	ud, h := newUserdata(st)
	defer func() { h.Delete(); C.free(ud) }()
	rc := int(fn(ud, carrierMask(carrier)))
	err := st.pending
	return rc, err
}

func invokeSendSMS(carrier interface{}, from, to, body, key string, idCap int) (string, int, error) {
	out := (*C.char)(C.calloc(1, C.size_t(idCap)))
	defer C.free(unsafe.Pointer(out))
	cf, ct, cb, ck := C.CString(from), C.CString(to), C.CString(body), C.CString(key)
	defer func() {
		for _, s := range []*C.char{cf, ct, cb, ck} {
			C.free(unsafe.Pointer(s))
		}
	}()
	rc, err := withCarrier(carrier, func(ud unsafe.Pointer, mask C.uint) C.int {
		return C.sbgo_test_send_sms(ud, mask, cf, ct, cb, ck, out, C.size_t(idCap))
	})
	return C.GoString(out), rc, err
}

func invokeHold(carrier interface{}, leg string, on bool) (int, error) {
	cl := C.CString(leg)
	defer C.free(unsafe.Pointer(cl))
	flag := C.int(0)
	if on {
		flag = 1
	}
	return withCarrier(carrier, func(ud unsafe.Pointer, mask C.uint) C.int {
		return C.sbgo_test_call_hold(ud, mask, cl, flag)
	})
}

func hasSendEmail(carrier interface{}) bool {
	rc, _ := withCarrier(carrier, func(ud unsafe.Pointer, mask C.uint) C.int {
		return C.sbgo_test_has_send_email(ud, mask)
	})
	return rc != 0
}
