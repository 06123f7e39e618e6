package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// AuditEntry is one entry of the audit trail.
type AuditEntry struct {
	Seq, At, Actor int64
	Action         string
	ObjectKind     string
	ObjectID       int64
}

// AuditReadMax is the most entries one AuditRead returns.
const AuditReadMax = 1000

func cText(s string, field string) (*C.char, error) {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return nil, &Error{Code: int(C.SB_EINVAL), Detail: field + " contains a NUL byte"}
		}
	}
	return C.CString(s), nil
}

// AuditRecord appends an entry. Actions match [a-z0-9_.]{1,63}, kinds [a-z0-9_]{1,31}.
func (p *Practice) AuditRecord(actor int64, action, objectKind string, objectID int64) error {
	ca, err := cText(action, "action")
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(ca))
	ck, err := cText(objectKind, "object kind")
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(ck))
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_audit_record(cp, C.int64_t(actor), ca, ck, C.int64_t(objectID))
	})
}

// AuditRead returns up to limit (1..AuditReadMax) entries after afterSeq.
// The read is itself recorded.
func (p *Practice) AuditRead(actor, afterSeq int64, limit int) ([]AuditEntry, error) {
	if limit < 1 || limit > AuditReadMax {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit must be 1..1000"}
	}
	buf := (*C.sb_audit_entry)(C.calloc(C.size_t(limit), C.sizeof_sb_audit_entry))
	defer C.free(unsafe.Pointer(buf))
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_audit_read(buf, &n, cp, C.int64_t(actor), C.int64_t(afterSeq), C.size_t(limit))
	})
	if err != nil {
		return nil, err
	}
	out := make([]AuditEntry, 0, int(n))
	for _, e := range unsafe.Slice(buf, int(n)) {
		out = append(out, AuditEntry{int64(e.seq), int64(e.at), int64(e.actor),
			C.GoString(&e.action[0]), C.GoString(&e.object_kind[0]), int64(e.object_id)})
	}
	return out, nil
}

// AuditHead is the newest entry's sequence number (0 when empty); not itself recorded.
func (p *Practice) AuditHead() (int64, error) {
	var out C.int64_t
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_audit_head(&out, cp) })
	return int64(out), err
}

// AuditAll returns every entry after afterSeq up to the trail's end when the
// call starts, a page at a time (each page read is recorded behind that end).
func (p *Practice) AuditAll(actor, afterSeq int64, page int) ([]AuditEntry, error) {
	end, err := p.AuditHead()
	var all []AuditEntry
	for err == nil && afterSeq < end {
		var entries []AuditEntry
		if entries, err = p.AuditRead(actor, afterSeq, page); err != nil || len(entries) == 0 {
			break
		}
		for _, e := range entries {
			if e.Seq <= end {
				all = append(all, e)
			}
		}
		afterSeq = entries[len(entries)-1].Seq
	}
	return all, err
}

// AuditVerify checks the whole chain and returns how many entries it checked.
// A broken chain is an error matching ErrCorrupt, naming the first bad entry.
func (p *Practice) AuditVerify(actor int64) (int64, error) {
	var rows C.int64_t
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_audit_verify(&rows, cp, C.int64_t(actor)) })
	return int64(rows), err
}
