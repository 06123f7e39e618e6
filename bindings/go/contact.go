package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// AddressKind says what an address of a contact is.
type AddressKind int

const (
	AddressPhone AddressKind = C.SB_ADDRESS_PHONE // a phone number, stored E.164
	AddressEmail AddressKind = C.SB_ADDRESS_EMAIL // an e-mail address, matched without regard to case
)

// ContactNotesMax is the most bytes of a contact's notes.
const ContactNotesMax = C.SB_CONTACT_NOTES_MAX

// Contact is a person outside the practice.
type Contact struct {
	ID        int64
	Saved     bool   // false: created by traffic from an unknown number (C4)
	Name      string // "" while unsaved
	CreatedAt int64
	UpdatedAt int64
}

// ContactAddress is one phone number or e-mail of a contact.
type ContactAddress struct {
	ID      int64
	Kind    AddressKind
	Value   string // E.164, or the e-mail as given
	AddedAt int64
}

// ContactCreate creates a saved contact and returns its id.
func (p *Practice) ContactCreate(actor int64, name string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"name"}, []string{name}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_contact_create(&id, cp, C.sb_id(actor), cs[0]) })
	})
	return int64(id), err
}

// ContactGet reads a contact (audited).
func (p *Practice) ContactGet(actor, id int64) (Contact, error) {
	var c C.sb_contact
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_contact_get(&c, cp, C.sb_id(actor), C.sb_id(id)) })
	return Contact{int64(c.id), c.saved != 0, C.GoString(&c.name[0]), int64(c.created_at), int64(c.updated_at)}, err
}

// ContactSave saves an unsaved contact under a name, or renames a saved one.
func (p *Practice) ContactSave(actor, id int64, name string) error {
	return withTexts([]string{"name"}, []string{name}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_contact_save(cp, C.sb_id(actor), C.sb_id(id), cs[0]) })
	})
}

// ContactSetNotes replaces a contact's notes.
func (p *Practice) ContactSetNotes(actor, id int64, notes string) error {
	return withTexts([]string{"notes"}, []string{notes}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_contact_set_notes(cp, C.sb_id(actor), C.sb_id(id), cs[0])
		})
	})
}

// ContactNotes reads a contact's notes (audited).
func (p *Practice) ContactNotes(actor, id int64) (string, error) {
	buf := (*C.char)(C.malloc(ContactNotesMax + 1))
	defer C.free(unsafe.Pointer(buf))
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_contact_get_notes(buf, ContactNotesMax+1, &n, cp, C.sb_id(actor), C.sb_id(id))
	})
	if err != nil {
		return "", err
	}
	return C.GoString(buf), nil
}

// ContactAddAddress gives a contact a phone number (any form) or an e-mail and returns the address id.
func (p *Practice) ContactAddAddress(actor, contact int64, kind AddressKind, value string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"value"}, []string{value}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_contact_add_address(&id, cp, C.sb_id(actor), C.sb_id(contact), C.int(kind), cs[0])
		})
	})
	return int64(id), err
}

// ContactRemoveAddress takes a phone number or an e-mail from a contact.
func (p *Practice) ContactRemoveAddress(actor, contact int64, kind AddressKind, value string) error {
	return withTexts([]string{"value"}, []string{value}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_contact_remove_address(cp, C.sb_id(actor), C.sb_id(contact), C.int(kind), cs[0])
		})
	})
}

// ContactAddresses returns a contact's numbers and e-mails, oldest first (audited).
func (p *Practice) ContactAddresses(actor, contact int64) ([]ContactAddress, error) {
	const max = C.SB_CONTACT_ADDRESSES_MAX
	buf := (*C.sb_contact_address)(C.calloc(max, C.sizeof_sb_contact_address))
	defer C.free(unsafe.Pointer(buf))
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_contact_addresses(buf, &n, cp, C.sb_id(actor), C.sb_id(contact), max)
	})
	if err != nil {
		return nil, err
	}
	items := unsafe.Slice(buf, int(n))
	out := make([]ContactAddress, 0, len(items))
	for i := range items {
		a := &items[i]
		out = append(out, ContactAddress{int64(a.id), AddressKind(a.kind), C.GoString(&a.value[0]), int64(a.added_at)})
	}
	return out, nil
}

// ContactFind returns the contact holding a phone number (any form) or an e-mail (any case).
func (p *Practice) ContactFind(actor int64, kind AddressKind, value string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"value"}, []string{value}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_contact_find(&id, cp, C.sb_id(actor), C.int(kind), cs[0])
		})
	})
	return int64(id), err
}

// ContactSearchMax is the most ids one ContactSearch returns.
const ContactSearchMax = C.SB_CONTACT_SEARCH_MAX

// ContactSearch returns ids of contacts whose name words start with every
// query word ("jo sm"), or the holder of a phone number in any form; a page of
// up to limit ids after afterID, in id order (audited).
func (p *Practice) ContactSearch(actor int64, query string, afterID int64, limit int) ([]int64, error) {
	if limit < 1 || limit > ContactSearchMax {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit must be 1..100"}
	}
	buf := (*C.sb_id)(C.calloc(C.size_t(limit), C.sizeof_sb_id))
	defer C.free(unsafe.Pointer(buf))
	var n C.size_t
	err := withTexts([]string{"query"}, []string{query}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_contact_search(buf, &n, cp, C.sb_id(actor), cs[0], C.sb_id(afterID), C.size_t(limit))
		})
	})
	if err != nil {
		return nil, err
	}
	out := make([]int64, 0, int(n))
	for _, id := range unsafe.Slice(buf, int(n)) {
		out = append(out, int64(id))
	}
	return out, nil
}
