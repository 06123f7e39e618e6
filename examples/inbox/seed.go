package main

// The demo practice a new store starts with: three teammates, two teams,
// a main line open to everyone and a billing line only the billing team
// sees, a few patients with conversations, business hours, a secure link.

import (
	"switchboard"
)

const (
	mainLine    = "+14155550100"
	billingLine = "+14155550120"
)

type demoPerson struct {
	name, login, ring string
}

var demoStaff = []demoPerson{
	{"Dana Reyes", "+14155550171", "+14155550181"}, // the admin
	{"Eli Park", "+14155550172", "+14155550182"},
	{"Fay Osei", "+14155550173", "+14155550183"},
}

func seed(p *switchboard.Practice, password string) error {
	return p.Transaction(func() error { return seedPractice(p, password) })
}

func seedPractice(p *switchboard.Practice, password string) error {
	sys := switchboard.ActorSystem
	ids := make([]int64, len(demoStaff))
	for i, person := range demoStaff {
		id, err := p.TeammateAdd(sys, switchboard.TeammateSpec{Name: person.name, LoginPhone: person.login,
			RingNumbers: []string{person.ring}})
		if err == nil {
			err = p.TeammatePasswordSet(sys, id, password)
		}
		if err != nil {
			return err
		}
		ids[i] = id
	}
	front, err := p.TeamCreate(sys, "Front desk")
	if err != nil {
		return err
	}
	billing, err := p.TeamCreate(sys, "Billing")
	if err != nil {
		return err
	}
	for _, m := range []struct{ team, who int64 }{{front, ids[0]}, {front, ids[1]}, {billing, ids[0]}, {billing, ids[2]}} {
		if err := p.TeamMemberAdd(sys, m.team, m.who); err != nil {
			return err
		}
	}
	main, err := p.BusinessNumberCreate(sys, mainLine, "Main line")
	if err != nil {
		return err
	}
	bill, err := p.BusinessNumberCreate(sys, billingLine, "Billing line")
	if err != nil {
		return err
	}
	if err := p.EndpointSetOwner(sys, bill, switchboard.OwnerTeam, billing); err != nil {
		return err // T8: only Billing's members see this line's conversations
	}
	if err := seedHoursAndLinks(p, main); err != nil {
		return err
	}
	return seedPatients(p)
}

func seedHoursAndLinks(p *switchboard.Practice, main int64) error {
	sys := switchboard.ActorSystem
	h := switchboard.Hours{Zone: "America/Los_Angeles"}
	for day := 1; day <= 5; day++ {
		h.Spans = append(h.Spans, switchboard.Span{Day: day, OpenMinute: 8 * 60, CloseMinute: 17 * 60})
	}
	if err := p.HoursSet(sys, main, h); err != nil {
		return err
	}
	if err := p.AfterHoursSet(sys, switchboard.AfterHours{ReplyOn: true,
		Reply: "Thanks for texting Maple Street Clinic. We're closed now and will reply when we open at 8am."}); err != nil {
		return err
	}
	if err := p.LinkBaseSet(sys, "https://maple-street.example/s"); err != nil {
		return err
	}
	if _, err := p.LinkCreate(sys, "front-desk", "Front desk secure chat"); err != nil {
		return err
	}
	s, err := p.InvitationSettingsGet(sys)
	if err != nil {
		return err
	}
	s.Sender = main
	return p.InvitationSettingsSet(sys, s)
}

func seedPatients(p *switchboard.Practice) error {
	sys := switchboard.ActorSystem
	patients := []struct{ name, number, to, text string }{
		{"Maria Lopez", "+14155550123", mainLine, "Hi, can I move my appointment on Thursday to the afternoon?"},
		{"James Chen", "+14155550124", mainLine, "Is the clinic open on Saturday?"},
		{"Priya Shah", "+14155550125", billingLine, "I was charged twice for my last visit."},
	}
	for i, pt := range patients {
		contact, err := p.ContactCreate(sys, pt.name)
		if err == nil {
			_, err = p.ContactAddAddress(sys, contact, switchboard.AddressPhone, pt.number)
		}
		if err == nil {
			_, err = p.SMSReceive(switchboard.InboundSMS{From: pt.number, To: pt.to, Body: pt.text,
				CarrierID: "SMseed" + string(rune('a'+i))})
		}
		if err != nil {
			return err
		}
	}
	return nil
}
