package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// EndpointKind says what an endpoint is.
type EndpointKind int

const (
	BusinessNumber EndpointKind = C.SB_ENDPOINT_BUSINESS_NUMBER
	SecureLink     EndpointKind = C.SB_ENDPOINT_SECURE_LINK
)

// Owner kinds of an endpoint (T5, T6).
const (
	OwnerPractice = C.SB_OWNER_PRACTICE
	OwnerTeammate = C.SB_OWNER_TEAMMATE
	OwnerTeam     = C.SB_OWNER_TEAM
)

// EndpointListMax is the most endpoints one EndpointList returns.
const EndpointListMax = C.SB_ENDPOINT_LIST_MAX

// Endpoint is a business number (or, later, a secure link) as stored.
type Endpoint struct {
	ID            int64
	Kind          EndpointKind
	Address       string // E.164 for a business number
	Label         string
	OwnerKind     int // OwnerPractice, OwnerTeammate or OwnerTeam
	OwnerID       int64
	AutoAssign    bool
	RingMode      int // 0 simultaneous, 1 sequential
	RingTimeoutMS int64
	CreatedAt     int64
	RetiredAt     int64 // 0 while active
}

func endpointFromC(e *C.sb_endpoint) Endpoint {
	return Endpoint{int64(e.id), EndpointKind(e.kind), C.GoString(&e.address[0]), C.GoString(&e.label[0]),
		int(e.owner_kind), int64(e.owner_id), e.auto_assign != 0, int(e.ring_mode), int64(e.ring_timeout_ms),
		int64(e.created_at), int64(e.retired_at)}
}

// withTexts converts Go strings to C for the length of fn.
func withTexts(fields []string, values []string, fn func(cs []*C.char) error) error {
	cs := make([]*C.char, len(values))
	for i, v := range values {
		c, err := cText(v, fields[i])
		if err != nil {
			return err
		}
		defer C.free(unsafe.Pointer(c))
		cs[i] = c
	}
	return fn(cs)
}

// BusinessNumberCreate adds a business number (a NANP number in any form) and returns its endpoint id.
func (p *Practice) BusinessNumberCreate(actor int64, number, label string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"number", "label"}, []string{number, label}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_business_number_create(&id, cp, C.sb_id(actor), cs[0], cs[1])
		})
	})
	return int64(id), err
}

// BusinessNumberFind returns the active business number's endpoint id for a number in any form.
func (p *Practice) BusinessNumberFind(actor int64, number string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"number"}, []string{number}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_business_number_find(&id, cp, C.sb_id(actor), cs[0]) })
	})
	return int64(id), err
}

// EndpointGet reads one endpoint of the practice.
func (p *Practice) EndpointGet(actor, id int64) (Endpoint, error) {
	var e C.sb_endpoint
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_endpoint_get(&e, cp, C.sb_id(actor), C.sb_id(id)) })
	return endpointFromC(&e), err
}

// EndpointList returns up to limit (1..EndpointListMax) endpoints of a kind after afterID, in id order.
func (p *Practice) EndpointList(actor int64, kind EndpointKind, afterID int64, limit int, includeRetired bool) ([]Endpoint, error) {
	if limit < 1 || limit > EndpointListMax {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit must be 1..500"}
	}
	buf := (*C.sb_endpoint)(C.calloc(C.size_t(limit), C.sizeof_sb_endpoint))
	defer C.free(unsafe.Pointer(buf))
	var n C.size_t
	retired := C.int(0)
	if includeRetired {
		retired = 1
	}
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_endpoint_list(buf, &n, cp, C.sb_id(actor), C.int(kind), C.sb_id(afterID), C.size_t(limit), retired)
	})
	if err != nil {
		return nil, err
	}
	items := unsafe.Slice(buf, int(n))
	out := make([]Endpoint, 0, len(items))
	for i := range items {
		out = append(out, endpointFromC(&items[i]))
	}
	return out, nil
}

// EndpointSetLabel renames an endpoint.
func (p *Practice) EndpointSetLabel(actor, id int64, label string) error {
	return withTexts([]string{"label"}, []string{label}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_endpoint_set_label(cp, C.sb_id(actor), C.sb_id(id), cs[0])
		})
	})
}

// EndpointRetire stops an endpoint sending and receiving; its history stays.
func (p *Practice) EndpointRetire(actor, id int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_endpoint_retire(cp, C.sb_id(actor), C.sb_id(id)) })
}
