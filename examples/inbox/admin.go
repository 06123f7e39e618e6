package main

// The practice's settings and tools: saved filters, bulk messages, business
// hours and the after-hours reply, secure links with their QR codes,
// teammates, attachments. Who may change what is the library's decision.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"switchboard"
)

// --- saved filters ---

type filtersView struct {
	Saved []switchboard.SavedFilter
	Tags  []switchboard.Tag
	Teams map[int64]string
}

func (s *server) filters(w http.ResponseWriter, r *http.Request, me *session) error {
	if r.Method == http.MethodPost {
		f, err := s.filterFromForm(r)
		if err != nil {
			return err
		}
		id, err := s.p.FilterSave(me.teammate, me.teammate, r.PostFormValue("name"), f)
		if err != nil {
			return err
		}
		http.Redirect(w, r, fmt.Sprintf("/filters/%d", id), http.StatusSeeOther)
		return nil
	}
	saved, err := s.p.FilterList(me.teammate, me.teammate, 0, 100)
	if err != nil {
		return err
	}
	tags, _ := s.p.TagList(me.teammate, switchboard.TagConversation, 0, 200)
	s.render(w, http.StatusOK, "filters", me, filtersView{Saved: saved, Tags: tags, Teams: s.teamNames(me.teammate)})
	return nil
}

func (s *server) filterFromForm(r *http.Request) (switchboard.Filter, error) {
	f := switchboard.ConversationFilter()
	f.Unread = r.PostFormValue("unread") != ""
	switch r.PostFormValue("status") {
	case "open":
		f.Status = switchboard.FilterStatusOpen
	case "closed":
		f.Status = switchboard.FilterStatusClosed
	}
	if box := r.PostFormValue("mailbox"); box != "" && box != "any" {
		kind, owner, err := parseAssignee(box)
		if box == "mine" {
			kind, owner, err = switchboard.MailboxTeammate, 0, nil
		}
		if err != nil {
			return f, err
		}
		f.Mailbox, f.MailboxOwner = kind, owner
	}
	if tag := r.PostFormValue("tag"); tag != "" {
		id, err := strconv.ParseInt(tag, 10, 64)
		if err != nil {
			return f, errBadForm
		}
		f.Tags = []int64{id}
	}
	return f, nil
}

type filterRunView struct {
	Saved switchboard.SavedFilter
	Rows  []row
}

func (s *server) filterRun(w http.ResponseWriter, r *http.Request, me *session) error {
	id, action, err := idAfter(r.URL.Path, "/filters/")
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost && action == "delete" {
		if err := s.p.FilterDelete(me.teammate, id); err != nil {
			return err
		}
		http.Redirect(w, r, "/filters", http.StatusSeeOther)
		return nil
	}
	if action != "" || r.Method != http.MethodGet {
		return errNoPage
	}
	saved, err := s.p.FilterGet(me.teammate, id)
	if err != nil {
		return err
	}
	found, err := s.p.FilterConversations(me.teammate, saved.Filter, nil, pageSize)
	if err != nil {
		return err
	}
	v := filterRunView{Saved: saved}
	for _, e := range found {
		v.Rows = append(v.Rows, s.row(me.teammate, e.ConversationID))
	}
	s.render(w, http.StatusOK, "filter", me, v)
	return nil
}

// --- bulk messages ---

type bulkView struct {
	Sent    []switchboard.Bulk
	Numbers []switchboard.Endpoint
	Tags    []switchboard.Tag
}

func (s *server) bulk(w http.ResponseWriter, r *http.Request, me *session) error {
	if r.Method == http.MethodPost {
		return redirectAfter(w, r, s.sendBulk(me.teammate, r), "/bulk")
	}
	sent, err := s.p.BulkList(me.teammate, 0, 20)
	if err != nil {
		return err
	}
	numbers, _ := s.p.EndpointList(me.teammate, switchboard.BusinessNumber, 0, 50, false)
	tags, _ := s.p.TagList(me.teammate, switchboard.TagContact, 0, 200)
	s.render(w, http.StatusOK, "bulk", me, bulkView{Sent: sent, Numbers: numbers, Tags: tags})
	return nil
}

// sendBulk texts every contact with the chosen tag (or every contact), one
// copy each, from the chosen number.
func (s *server) sendBulk(me int64, r *http.Request) error {
	endpoint, err := formID(r, "endpoint")
	if err != nil {
		return err
	}
	f := switchboard.ContactFilter()
	if tag := r.PostFormValue("tag"); tag != "" {
		id, err := strconv.ParseInt(tag, 10, 64)
		if err != nil {
			return errBadForm
		}
		f.Tags = []int64{id}
	}
	id, err := s.p.BulkCreate(me, endpoint, r.PostFormValue("body"), f)
	if err != nil {
		return err
	}
	// A page of recipients per call, until none is pending (or no progress).
	for pending := -1; ; {
		b, err := s.p.BulkSend(me, id, switchboard.BulkPageMax)
		if err != nil || b.Pending == 0 || b.Pending == pending {
			return err
		}
		pending = b.Pending
	}
}

// --- business hours and after hours ---

type hoursView struct {
	Lines      []lineHours
	AfterHours switchboard.AfterHours
}

type lineHours struct {
	Line        switchboard.Endpoint
	Set         bool
	Zone        string
	Open, Close string
	Days        map[int]bool
}

var weekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

func (s *server) hours(w http.ResponseWriter, r *http.Request, me *session) error {
	if r.Method == http.MethodPost {
		return redirectAfter(w, r, s.saveHours(me.teammate, r), "/hours")
	}
	numbers, err := s.p.EndpointList(me.teammate, switchboard.BusinessNumber, 0, 50, false)
	if err != nil {
		return err
	}
	v := hoursView{}
	for _, ep := range numbers {
		lh := lineHours{Line: ep, Zone: "America/Los_Angeles", Open: "08:00", Close: "17:00", Days: map[int]bool{}}
		if h, err := s.p.HoursGet(me.teammate, ep.ID); err == nil && len(h.Spans) > 0 {
			lh.Set, lh.Zone = true, h.Zone
			lh.Open, lh.Close = clock(h.Spans[0].OpenMinute), clock(h.Spans[0].CloseMinute)
			for _, sp := range h.Spans {
				lh.Days[sp.Day] = true
			}
		}
		v.Lines = append(v.Lines, lh)
	}
	v.AfterHours, _ = s.p.AfterHoursGet(me.teammate)
	s.render(w, http.StatusOK, "hours", me, v)
	return nil
}

func (s *server) saveHours(me int64, r *http.Request) error {
	if r.PostFormValue("form") == "afterhours" {
		return s.p.AfterHoursSet(me, switchboard.AfterHours{ReplyOn: r.PostFormValue("reply_on") != "",
			Reply: r.PostFormValue("reply"), AlertOn: r.PostFormValue("alert_on") != "",
			AlertTo: r.PostFormValue("alert_to")})
	}
	endpoint, err := formID(r, "endpoint")
	if err != nil {
		return err
	}
	if r.PostFormValue("always_open") != "" {
		return s.p.HoursClear(me, endpoint)
	}
	open, err1 := minutes(r.PostFormValue("open"))
	closing, err2 := minutes(r.PostFormValue("close"))
	if err1 != nil || err2 != nil {
		return errBadForm
	}
	h := switchboard.Hours{Zone: r.PostFormValue("zone")}
	for day := range weekdays {
		if r.PostFormValue(fmt.Sprintf("day%d", day)) != "" {
			h.Spans = append(h.Spans, switchboard.Span{Day: day, OpenMinute: open, CloseMinute: closing})
		}
	}
	return s.p.HoursSet(me, endpoint, h)
}

func clock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }

func minutes(hhmm string) (int, error) {
	h, m, ok := strings.Cut(hhmm, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 {
		return 0, errBadForm
	}
	return hh*60 + mm, nil
}

// --- secure links, invitations ---

type linksView struct {
	Links    []linkRow
	Settings switchboard.InvitationSettings
	Numbers  []switchboard.Endpoint
}

type linkRow struct {
	Link switchboard.Endpoint
	URL  string
}

func (s *server) links(w http.ResponseWriter, r *http.Request, me *session) error {
	if r.Method == http.MethodPost {
		return redirectAfter(w, r, s.saveLinks(me.teammate, r), "/links")
	}
	list, err := s.p.EndpointList(me.teammate, switchboard.SecureLink, 0, 50, false)
	if err != nil {
		return err
	}
	v := linksView{}
	for _, l := range list {
		url, _ := s.p.LinkURL(me.teammate, l.ID)
		v.Links = append(v.Links, linkRow{Link: l, URL: url})
	}
	v.Settings, _ = s.p.InvitationSettingsGet(me.teammate)
	v.Numbers, _ = s.p.EndpointList(me.teammate, switchboard.BusinessNumber, 0, 50, false)
	s.render(w, http.StatusOK, "links", me, v)
	return nil
}

func (s *server) saveLinks(me int64, r *http.Request) error {
	if r.PostFormValue("form") == "invitations" {
		sender, err := formID(r, "sender")
		if err != nil {
			return err
		}
		cur, err := s.p.InvitationSettingsGet(me)
		if err != nil {
			return err
		}
		cur.Text, cur.Sender = r.PostFormValue("text"), sender
		return s.p.InvitationSettingsSet(me, cur)
	}
	_, err := s.p.LinkCreate(me, r.PostFormValue("slug"), r.PostFormValue("label"))
	return err
}

// linkQR serves /links/{id}/qr.svg, drawn by the library.
func (s *server) linkQR(w http.ResponseWriter, r *http.Request, me *session) error {
	id, action, err := idAfter(r.URL.Path, "/links/")
	if err != nil || action != "qr.svg" || r.Method != http.MethodGet {
		return errNoPage
	}
	svg, err := s.p.LinkQRSVG(me.teammate, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	_, err = w.Write([]byte(svg))
	return err
}

// --- teammates ---

type teamView struct {
	Teammates []switchboard.Teammate
	Teams     []switchboard.Team
}

func (s *server) team(w http.ResponseWriter, r *http.Request, me *session) error {
	if r.Method == http.MethodPost {
		return redirectAfter(w, r, s.teamAction(me.teammate, r), "/team")
	}
	list, err := s.p.TeammateList(me.teammate, 0, 500, false)
	if err != nil {
		return err
	}
	teams, _ := s.p.TeamList(me.teammate, 0, 100)
	s.render(w, http.StatusOK, "team", me, teamView{Teammates: list, Teams: teams})
	return nil
}

func (s *server) teamAction(me int64, r *http.Request) error {
	switch r.PostFormValue("form") {
	case "password": // one's own, or (admins) anyone's
		who, err := formID(r, "teammate")
		if err != nil {
			return err
		}
		return s.p.TeammatePasswordSet(me, who, r.PostFormValue("password"))
	case "add": // one transaction: a password the library refuses adds nobody
		return s.p.Transaction(func() error {
			id, err := s.p.TeammateAdd(me, switchboard.TeammateSpec{Name: r.PostFormValue("name"),
				LoginPhone: r.PostFormValue("login")})
			if err != nil {
				return err
			}
			return s.p.TeammatePasswordSet(me, id, r.PostFormValue("password"))
		})
	case "member":
		team, err1 := formID(r, "team")
		who, err2 := formID(r, "teammate")
		if err1 != nil || err2 != nil {
			return errBadForm
		}
		return s.p.TeamMemberAdd(me, team, who)
	}
	return errNoPage
}

// --- attachments ---

// attachment serves /attachments/{id}: only an id, read through the library
// (T8), as a download, so no path of the file system can be named and no
// attachment can run as a page of this site.
func (s *server) attachment(w http.ResponseWriter, r *http.Request, me *session) error {
	id, action, err := idAfter(r.URL.Path, "/attachments/")
	if err != nil || action != "" {
		return errNoPage
	}
	data, err := s.p.AttachmentRead(me.teammate, id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"attachment-%d\"", id))
	h.Set("Content-Security-Policy", "sandbox")
	_, err = w.Write(data)
	return err
}
