package main

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchboard"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

type server struct {
	p        *switchboard.Practice
	carrier  *carrierChoice
	mux      *http.ServeMux
	pages    map[string]*template.Template
	sessions *sessions
	throttle *throttle
	hub      *hub
}

// handler is a page or form of a signed-in teammate. Forms (POST) have
// had their CSRF token checked before it runs.
type handler func(w http.ResponseWriter, r *http.Request, me *session) error

func newServer(p *switchboard.Practice, carrier *carrierChoice, twilioRoutes http.Handler) (*server, error) {
	s := &server{p: p, carrier: carrier, mux: http.NewServeMux(), sessions: newSessions(),
		throttle: newThrottle(), hub: newHub()}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.FS(static))))
	s.mux.HandleFunc("/signin", s.signinPage)
	s.mux.HandleFunc("/favicon.ico", http.NotFound)
	s.routes()
	if twilioRoutes != nil { // carrier traffic: signed by Twilio, not by a session
		s.mux.Handle("/twilio/", s.hub.afterEach(http.StripPrefix("/twilio", twilioRoutes)))
	}
	return s, nil
}

func (s *server) routes() {
	s.handle("/", s.home)
	s.handle("/signout", s.signOut)
	s.handle("/mailbox/", s.mailboxPage)
	s.handle("/c/", s.conversation)
	s.handle("/contact/", s.contact)
	s.handle("/contacts", s.contacts)
	s.handle("/filters", s.filters)
	s.handle("/filters/", s.filterRun)
	s.handle("/bulk", s.bulk)
	s.handle("/hours", s.hours)
	s.handle("/links", s.links)
	s.handle("/links/", s.linkQR)
	s.handle("/team", s.team)
	s.handle("/attachments/", s.attachment)
	s.handle("/events", s.events)
	s.handle("/demo", s.demoPage)
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none';"+
		" base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

// handle mounts a teammate's handler: a session or the sign-in page, and on
// POST a valid CSRF token; a change is announced to every open inbox.
func (s *server) handle(pattern string, fn handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		me := s.sessions.find(r)
		if me == nil {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 6<<20) // an attachment of SB_ATTACHMENT_BYTES_MAX and the form
			if err := checkCSRF(r, me); err != nil {
				s.fail(w, r, me, err)
				return
			}
		} else if r.Method != http.MethodGet {
			http.Error(w, "GET or POST", http.StatusMethodNotAllowed)
			return
		}
		if err := fn(w, r, me); err != nil {
			s.fail(w, r, me, err)
		} else if r.Method == http.MethodPost {
			s.hub.changed()
		}
	})
}

func (s *server) parseTemplates() error {
	funcs := template.FuncMap{"when": when, "duration": duration, "phone": phone,
		"invitationState": invitationState, "weekdayNames": func() []string { return weekdays }}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, name := range names {
		page := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if page == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return err
		}
		s.pages[page] = t
	}
	return nil
}

// view is what every page template gets.
type view struct {
	Me    *switchboard.Teammate
	CSRF  string
	Nav   []navEntry
	Title string
	Data  interface{}
}

type navEntry struct {
	Label, Href string
	Unread      int64
	Current     bool
}

func (s *server) render(w http.ResponseWriter, status int, page string, me *session, data interface{}) {
	v := view{Data: data, Title: page}
	if me != nil {
		t, err := s.p.TeammateGet(me.teammate, me.teammate)
		if err == nil {
			v.Me, v.CSRF = &t, me.csrf
			v.Nav = s.nav(me.teammate)
		}
	}
	var b strings.Builder
	if err := s.pages[page].ExecuteTemplate(&b, "layout", v); err != nil {
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

// statusOf maps the library's errors to HTTP: its permission checks are the
// server's, so a refusal is a 403 whatever the page.
func statusOf(err error) int {
	switch {
	case errors.Is(err, errForbidden), errors.Is(err, switchboard.ErrDenied):
		return http.StatusForbidden
	case errors.Is(err, switchboard.ErrNotFound), errors.Is(err, errNoPage):
		return http.StatusNotFound
	case errors.Is(err, switchboard.ErrInvalid), errors.Is(err, switchboard.ErrUTF8), errors.Is(err, switchboard.ErrTooBig),
		errors.Is(err, switchboard.ErrPhone), errors.Is(err, switchboard.ErrState), errors.Is(err, switchboard.ErrConflict),
		errors.Is(err, switchboard.ErrEmergency), errors.Is(err, switchboard.ErrEmail), errors.Is(err, errBadForm):
		return http.StatusBadRequest
	case errors.Is(err, switchboard.ErrBusy), errors.Is(err, switchboard.ErrLimit):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

var (
	errNoPage  = errors.New("no such page")
	errBadForm = errors.New("the form is incomplete")
)

func (s *server) fail(w http.ResponseWriter, r *http.Request, me *session, err error) {
	status := statusOf(err)
	// The library's messages name fields and rules, never PHI.
	s.render(w, status, "error", me, struct {
		Status  int
		Message string
	}{status, err.Error()})
}

// redirectAfter finishes a form: its error, or a 303 to the page to show next.
func redirectAfter(w http.ResponseWriter, r *http.Request, err error, to string) error {
	if err == nil {
		http.Redirect(w, r, to, http.StatusSeeOther)
	}
	return err
}

// idAfter is the positive id that follows prefix in the path ("/c/12" → 12),
// with what comes after it ("/c/12/reply" → "reply").
func idAfter(path, prefix string) (int64, string, error) {
	rest := strings.TrimPrefix(path, prefix)
	part, action, _ := strings.Cut(rest, "/")
	id, err := strconv.ParseInt(part, 10, 64)
	if err != nil || id <= 0 || strings.Contains(action, "/") {
		return 0, "", errNoPage
	}
	return id, action, nil
}

func formID(r *http.Request, field string) (int64, error) {
	id, err := strconv.ParseInt(r.PostFormValue(field), 10, 64)
	if err != nil || id < 0 {
		return 0, fmt.Errorf("%w: %s", errBadForm, field)
	}
	return id, nil
}

func invitationState(state int) string {
	switch state {
	case switchboard.InvitationPending:
		return "pending"
	case switchboard.InvitationOpened:
		return "opened"
	case switchboard.InvitationAccepted:
		return "accepted"
	case switchboard.InvitationExpired:
		return "expired"
	case switchboard.InvitationRevoked:
		return "revoked"
	}
	return "never sent"
}

func when(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).Local().Format("Jan 2 15:04")
}

func duration(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// phone shows an E.164 NANP number as (415) 555-0100.
func phone(e164 string) string {
	if len(e164) == 12 && strings.HasPrefix(e164, "+1") {
		return "(" + e164[2:5] + ") " + e164[5:8] + "-" + e164[8:]
	}
	return e164
}
