package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// Phone is a parsed number: Number is E.164 (or the bare code for service and
// emergency codes), Kind one of "geographic", "toll_free", "premium",
// "fictional", "service", "emergency", "international", Country the ISO code
// of the NANP member ("" when none).
type Phone struct {
	Number, Kind, Country string
}

// IsNANP reports whether the number is a dialable +1 number.
func (ph Phone) IsNANP() bool {
	return len(ph.Number) > 2 && ph.Number[:2] == "+1"
}

// IsTextable reports whether texts reach the number (C14): US (with its
// territories) and Canadian numbers, toll-free included; not the other NANP
// members, nor premium 900.
func (ph Phone) IsTextable() bool {
	cn := C.CString(ph.Number)
	defer C.free(unsafe.Pointer(cn))
	var raw C.sb_phone
	return C.sb_phone_parse(&raw, cn) == 0 && C.sb_phone_is_textable(&raw) != 0
}

// PhoneError is a number that does not parse; Problem names the broken rule.
type PhoneError struct {
	Problem int
	Text    string
}

func (e *PhoneError) Error() string { return "switchboard: invalid phone number: " + e.Text }

// Is makes errors.Is(err, ErrPhone) true.
func (e *PhoneError) Is(target error) bool { return target == ErrPhone }

// ParsePhone parses what a person typed and classifies it under NANP rules.
func ParsePhone(text string) (Phone, error) {
	ct, err := cText(text, "phone number")
	if err != nil {
		return Phone{}, &PhoneError{Problem: 2, Text: "the number contains a NUL byte"}
	}
	defer C.free(unsafe.Pointer(ct))
	var ph C.sb_phone
	if rc := C.sb_phone_parse(&ph, ct); rc != 0 {
		return Phone{}, &PhoneError{Problem: int(ph.problem), Text: C.GoString(C.sb_phone_problem_text(ph.problem))}
	}
	return Phone{C.GoString(&ph.number[0]), C.GoString(C.sb_phone_kind_name(ph.kind)), C.GoString(&ph.country[0])}, nil
}
