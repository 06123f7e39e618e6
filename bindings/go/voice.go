package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// Calls (voice.h, tree.h, call.h): call settings, desk phones, the access pool,
// phone trees and the call engine (V1–V12). The engine is event in, command
// out: feed what the carrier reports with CallInbound and CallFeed; commands
// come back through the carrier's CallController and TimerService.

// Ring modes (V4).
const (
	RingSimultaneous = 0
	RingSequential   = 1
	RingRoundRobin   = 2 // one at a time, each call starting one number further on
)

// Where a phone tree key sends the caller (V12).
const (
	RouteVoicemail = 0
	RouteNumber    = 1
	RouteTeam      = 2
	RouteTeammate  = 3
	RouteMenu      = 4
)

// Call event kinds and leg failure reasons.
const (
	LegRinging    = 1
	LegEarlyMedia = 2
	LegAnswered   = 3
	LegFailed     = 4
	LegHangup     = 5
	LegDigits     = 6
	LegPlayed     = 7
	LegRecorded   = 8
	TimerFired    = 9

	FailedBusy        = 1
	FailedNoAnswer    = 2
	FailedRejected    = 3
	FailedUnreachable = 4
)

// Call phases (sb_call_phase) and origins (sb_call_origin).
const (
	PhaseMenu            = 1
	PhaseRinging         = 2
	PhaseConnected       = 3
	PhaseXferMenu        = 4
	PhaseXferDigits      = 5
	PhaseXferRinging     = 6
	PhaseXferConsult     = 7
	PhaseXferConfirm     = 8
	PhaseGreeting        = 9
	PhaseRecording       = 10
	PhaseReserved        = 11
	PhaseCallingTeammate = 12
	PhaseCallingPatient  = 13
	PhaseEnded           = 14

	OriginInbound  = 1
	OriginClick    = 2
	OriginAnyPhone = 3
)

// VoiceSettings are a business number's call settings; zero values mean the defaults.
type VoiceSettings struct {
	RingMode                                       int
	RingTimeoutMs, ScreenTimeoutMs, VoicemailMaxMs int64
	Greeting, GreetingMedia                        string
	TreeID                                         int64
	ExtraNumbers                                   []string
}

// DeskPhone is a teammate's desk phone: its extension (V9) and 911 address (V10).
type DeskPhone struct {
	ID, TeammateID             int64
	Extension, Device, Address string
	CreatedAt                  int64
}

// TreeBranch is one key of a tree node, or its fallback (Key 0).
type TreeBranch struct {
	Key        byte // '0'..'9', '*', '#'
	Route      int
	Target     int64
	AutoAssign bool
}

// TreeNode is one menu of a phone tree.
type TreeNode struct {
	Prompt, PromptMedia string
	TimeoutMs           int64
	Tries               int
	Fallback            TreeBranch
	Branches            []TreeBranch
}

// Tree is a stored phone tree's summary.
type Tree struct {
	ID        int64
	Name      string
	NodeCount int
	UpdatedAt int64
}

// Call is a call as stored.
type Call struct {
	ID, EndpointID, ConversationID, TeammateID int64
	Origin, Phase, Outcome                     int
	UnknownCaller                              bool
	VoicemailItem                              int64
	StartedAt, AnsweredAt, EndedAt             int64
}

// CallEvent is one carrier event (Kind: LegAnswered, LegDigits, TimerFired, ...).
type CallEvent struct {
	Kind             int
	Leg, EventID     string
	Reason           int
	Digits, MediaRef string
	DurationMs       int64
	TimerID          string
}

// Access is an access number reserved for one call from any phone (V3).
type Access struct {
	CallID            int64
	Number, FromPhone string
	ExpiresAt         int64
}

// cStrings is a C array of C strings; free it with the returned func.
func cStrings(values []string, field string) (**C.char, func(), error) {
	arr := (*[1 << 20]*C.char)(C.calloc(C.size_t(len(values)+1), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	free := func() {
		for i := range values {
			C.free(unsafe.Pointer(arr[i]))
		}
		C.free(unsafe.Pointer(arr))
	}
	for i, v := range values {
		c, err := cText(v, field)
		if err != nil {
			free()
			return nil, nil, err
		}
		arr[i] = c
	}
	return &arr[0], free, nil
}

// VoiceSettingsSet replaces a business number's ringing, screening, voicemail and tree (admins and owner).
func (p *Practice) VoiceSettingsSet(actor, endpoint int64, s VoiceSettings) error {
	extras, free, err := cStrings(s.ExtraNumbers, "extra number")
	if err != nil {
		return err
	}
	defer free()
	return withTexts([]string{"greeting", "greeting media"}, []string{s.Greeting, s.GreetingMedia},
		func(cs []*C.char) error {
			var v C.sb_voice_settings
			C.sb_voice_settings_init(&v)
			v.ring_mode = C.int(s.RingMode)
			v.ring_timeout_ms = C.int64_t(s.RingTimeoutMs)
			v.screen_timeout_ms = C.int64_t(s.ScreenTimeoutMs)
			v.voicemail_max_ms = C.int64_t(s.VoicemailMaxMs)
			v.greeting = optional(cs[0], s.Greeting)
			v.greeting_media = optional(cs[1], s.GreetingMedia)
			v.tree_id = C.sb_id(s.TreeID)
			v.extra_numbers = extras
			v.extra_count = C.size_t(len(s.ExtraNumbers))
			return p.call(func(cp *C.sb_practice) C.int {
				return C.sb_voice_settings_set(cp, C.sb_id(actor), C.sb_id(endpoint), &v)
			})
		})
}

// VoiceSettingsGet reads a business number's call settings, defaults filled in.
func (p *Practice) VoiceSettingsGet(actor, endpoint int64) (VoiceSettings, error) {
	var c C.sb_voice_config
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_voice_settings_get(&c, cp, C.sb_id(actor), C.sb_id(endpoint))
	})
	if err != nil {
		return VoiceSettings{}, err
	}
	extras := make([]string, int(c.extra_count))
	for i := range extras {
		extras[i] = C.GoString(&c.extra_numbers[i][0])
	}
	return VoiceSettings{int(c.ring_mode), int64(c.ring_timeout_ms), int64(c.screen_timeout_ms),
		int64(c.voicemail_max_ms), C.GoString(&c.greeting[0]), C.GoString(&c.greeting_media[0]),
		int64(c.tree_id), extras}, nil
}

// DeskPhoneAdd registers a teammate's desk phone (admins); address "" for none.
func (p *Practice) DeskPhoneAdd(actor, teammate int64, extension, device, address string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"extension", "device", "address"}, []string{extension, device, address},
		func(cs []*C.char) error {
			return p.call(func(cp *C.sb_practice) C.int {
				return C.sb_desk_phone_add(&id, cp, C.sb_id(actor), C.sb_id(teammate), cs[0], cs[1], cs[2])
			})
		})
	return int64(id), err
}

// RingTimeoutSet sets how long number rings on its turn when ringing one at a time; 0 removes its own.
func (p *Practice) RingTimeoutSet(actor, endpoint int64, number string, timeoutMs int64) error {
	return withTexts([]string{"number"}, []string{number}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_ring_timeout_set(cp, C.sb_id(actor), C.sb_id(endpoint), cs[0], C.int64_t(timeoutMs))
		})
	})
}

// RingTimeoutGet is how long number rings on its turn: its own timeout, or the number's ring timeout.
func (p *Practice) RingTimeoutGet(actor, endpoint int64, number string) (int64, error) {
	var ms C.int64_t
	err := withTexts([]string{"number"}, []string{number}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_ring_timeout_get(&ms, cp, C.sb_id(actor), C.sb_id(endpoint), cs[0])
		})
	})
	return int64(ms), err
}

// DeskPhoneGet reads a desk phone.
func (p *Practice) DeskPhoneGet(actor, id int64) (DeskPhone, error) {
	var d C.sb_desk_phone
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_desk_phone_get(&d, cp, C.sb_id(actor), C.sb_id(id)) })
	return DeskPhone{int64(d.id), int64(d.teammate_id), C.GoString(&d.extension[0]), C.GoString(&d.device[0]),
		C.GoString(&d.address[0]), int64(d.created_at)}, err
}

// DeskPhoneRemove removes a desk phone (admins).
func (p *Practice) DeskPhoneRemove(actor, id int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_desk_phone_remove(cp, C.sb_id(actor), C.sb_id(id)) })
}

// AccessPoolSet replaces the host's access numbers for calls from any phone (admins; V3).
func (p *Practice) AccessPoolSet(actor int64, numbers []string, lifetimeMs int64) error {
	arr, free, err := cStrings(numbers, "access number")
	if err != nil {
		return err
	}
	defer free()
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_access_pool_set(cp, C.sb_id(actor), arr, C.size_t(len(numbers)), C.int64_t(lifetimeMs))
	})
}

// --- phone trees (V12) ---

func (b TreeBranch) toC() C.sb_tree_branch {
	a := 0
	if b.AutoAssign {
		a = 1
	}
	return C.sb_tree_branch{key: C.int(b.Key), route: C.int(b.Route), target: C.sb_id(b.Target), auto_assign: C.int(a)}
}

func goBranch(b C.sb_tree_branch) TreeBranch {
	return TreeBranch{byte(b.key), int(b.route), int64(b.target), b.auto_assign != 0}
}

// TreeSave creates (id 0) or replaces a phone tree; nodes[0] is the root (admins).
func (p *Practice) TreeSave(actor, id int64, name string, nodes []TreeNode) (int64, error) {
	// The nodes and their branches live in C memory: C may not hold Go pointers.
	cnodes := (*[1 << 16]C.sb_tree_node)(C.calloc(C.size_t(len(nodes)+1), C.size_t(unsafe.Sizeof(C.sb_tree_node{}))))
	var frees []unsafe.Pointer
	defer func() {
		for _, f := range frees {
			C.free(f)
		}
		C.free(unsafe.Pointer(cnodes))
	}()
	for i, n := range nodes {
		branches := (*[C.SB_TREE_KEYS + 1]C.sb_tree_branch)(C.calloc(C.size_t(len(n.Branches)+1),
			C.size_t(unsafe.Sizeof(C.sb_tree_branch{}))))
		frees = append(frees, unsafe.Pointer(branches))
		if len(n.Branches) > C.SB_TREE_KEYS {
			return 0, &Error{Code: int(C.SB_EINVAL), Detail: "too many branches"}
		}
		for k, b := range n.Branches {
			branches[k] = b.toC()
		}
		for _, s := range []struct {
			dst **C.char
			v   string
		}{{&cnodes[i].prompt, n.Prompt}, {&cnodes[i].prompt_media, n.PromptMedia}} {
			if s.v == "" {
				continue
			}
			c, err := cText(s.v, "prompt")
			if err != nil {
				return 0, err
			}
			frees = append(frees, unsafe.Pointer(c))
			*s.dst = c
		}
		cnodes[i].timeout_ms = C.int64_t(n.TimeoutMs)
		cnodes[i].tries = C.int(n.Tries)
		cnodes[i].fallback = n.Fallback.toC()
		cnodes[i].branches = &branches[0]
		cnodes[i].branch_count = C.size_t(len(n.Branches))
	}
	out := C.sb_id(id)
	err := withTexts([]string{"name"}, []string{name}, func(cs []*C.char) error {
		var s C.sb_tree_spec
		C.sb_tree_spec_init(&s)
		s.name = cs[0]
		s.nodes = &cnodes[0]
		s.node_count = C.size_t(len(nodes))
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_tree_save(&out, cp, C.sb_id(actor), &s) })
	})
	return int64(out), err
}

// TreeGet reads a tree's summary.
func (p *Practice) TreeGet(actor, id int64) (Tree, error) {
	var t C.sb_tree
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_tree_get(&t, cp, C.sb_id(actor), C.sb_id(id)) })
	return Tree{int64(t.id), C.GoString(&t.name[0]), int(t.node_count), int64(t.updated_at)}, err
}

// TreeNodeGet reads node index (0 the root) of a tree, defaults filled in.
func (p *Practice) TreeNodeGet(actor, id int64, index int) (TreeNode, error) {
	var c C.sb_tree_node_info
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_tree_node_get(&c, cp, C.sb_id(actor), C.sb_id(id), C.size_t(index))
	})
	if err != nil {
		return TreeNode{}, err
	}
	n := TreeNode{C.GoString(&c.prompt[0]), C.GoString(&c.prompt_media[0]), int64(c.timeout_ms), int(c.tries),
		goBranch(c.fallback), make([]TreeBranch, int(c.branch_count))}
	for i := range n.Branches {
		n.Branches[i] = goBranch(c.branches[i])
	}
	return n, nil
}

// TreeDelete deletes a tree no business number uses (admins).
func (p *Practice) TreeDelete(actor, id int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_tree_delete(cp, C.sb_id(actor), C.sb_id(id)) })
}

// --- the engine ---

// CallInbound reports a call arriving at one of the practice's numbers; it returns the call id.
func (p *Practice) CallInbound(from, to, leg string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"from", "to", "leg"}, []string{from, to, leg}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_call_inbound(&id, cp, cs[0], cs[1], cs[2]) })
	})
	return int64(id), err
}

// CallFeed feeds one carrier event; it returns the call id.
func (p *Practice) CallFeed(e CallEvent) (int64, error) {
	var id C.sb_id
	fields := []string{"leg", "event id", "digits", "media ref", "timer id"}
	values := []string{e.Leg, e.EventID, e.Digits, e.MediaRef, e.TimerID}
	err := withTexts(fields, values, func(cs []*C.char) error {
		var ev C.sb_call_event
		C.sb_call_event_init(&ev, C.int(e.Kind))
		ev.leg_id = optional(cs[0], e.Leg)
		ev.event_id = optional(cs[1], e.EventID)
		ev.reason = C.int(e.Reason)
		ev.digits = optional(cs[2], e.Digits)
		ev.media_ref = optional(cs[3], e.MediaRef)
		ev.duration_ms = C.int64_t(e.DurationMs)
		ev.timer_id = optional(cs[4], e.TimerID)
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_call_feed(&id, cp, &ev) })
	})
	return int64(id), err
}

// CallGet reads a call (teammates who see its business number).
func (p *Practice) CallGet(actor, id int64) (Call, error) {
	var c C.sb_call
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_call_get(&c, cp, C.sb_id(actor), C.sb_id(id)) })
	return Call{int64(c.id), int64(c.endpoint_id), int64(c.conversation_id), int64(c.teammate_id), int(c.origin),
		int(c.phase), int(c.outcome), c.unknown_caller != 0, int64(c.voicemail_item), int64(c.started_at),
		int64(c.answered_at), int64(c.ended_at)}, err
}

func (p *Practice) dial(endpoint int64, to, fromPhone string, desk int64,
	fn func(cp *C.sb_practice, s *C.sb_dial_spec) C.int) error {
	return withTexts([]string{"to", "from phone"}, []string{to, fromPhone}, func(cs []*C.char) error {
		var s C.sb_dial_spec
		C.sb_dial_spec_init(&s)
		s.endpoint_id = C.sb_id(endpoint)
		s.to = cs[0]
		s.from_phone = optional(cs[1], fromPhone)
		s.desk_phone_id = C.sb_id(desk)
		return p.call(func(cp *C.sb_practice) C.int { return fn(cp, &s) })
	})
}

// CallDial is click-to-call (V2): the teammate's phone (fromPhone "" for their
// own, or deskPhone) rings first, then the patient, both seeing the business number.
func (p *Practice) CallDial(actor, endpoint int64, to, fromPhone string, deskPhone int64) (int64, error) {
	var id C.sb_id
	err := p.dial(endpoint, to, fromPhone, deskPhone, func(cp *C.sb_practice, s *C.sb_dial_spec) C.int {
		return C.sb_call_dial(&id, cp, C.sb_id(actor), s)
	})
	return int64(id), err
}

// CallReserve reserves an access number for a call from any phone (V3).
func (p *Practice) CallReserve(actor, endpoint int64, to, fromPhone string) (Access, error) {
	var a C.sb_access
	err := p.dial(endpoint, to, fromPhone, 0, func(cp *C.sb_practice, s *C.sb_dial_spec) C.int {
		return C.sb_call_reserve(&a, cp, C.sb_id(actor), s)
	})
	return Access{int64(a.call_id), C.GoString(&a.number[0]), C.GoString(&a.from_phone[0]), int64(a.expires_at)}, err
}

// VoicemailTranscript adds the host's transcript to the voicemail left on inbound leg leg (V7).
func (p *Practice) VoicemailTranscript(actor int64, leg, text string) error {
	return withTexts([]string{"leg", "text"}, []string{leg, text}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_voicemail_transcript(cp, C.sb_id(actor), cs[0], cs[1]) })
	})
}
