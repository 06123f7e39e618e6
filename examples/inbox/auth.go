package main

// Sign-in, sessions and CSRF. The library checks the password
// (TeammateSignIn); the server keeps only random session tokens in memory.

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"switchboard"
)

const (
	sessionCookie = "sb_session"
	preCookie     = "sb_signin" // the sign-in form's CSRF token, before a session exists
	sessionLife   = 12 * time.Hour
)

// Wrong sign-ins are also counted per client address: the library locks a
// teammate after five, but only the server sees where guesses come from.
const (
	addressTries  = 10
	addressWindow = 10 * time.Minute
)

type throttle struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

func newThrottle() *throttle { return &throttle{fails: map[string][]time.Time{}} }

func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// recent drops failures older than the window and returns those left.
func (t *throttle) recent(addr string) []time.Time {
	cut := time.Now().Add(-addressWindow)
	kept := t.fails[addr][:0]
	for _, at := range t.fails[addr] {
		if at.After(cut) {
			kept = append(kept, at)
		}
	}
	if len(kept) == 0 {
		delete(t.fails, addr)
		return nil
	}
	t.fails[addr] = kept
	return kept
}

func (t *throttle) blocked(addr string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.recent(addr)) >= addressTries
}

func (t *throttle) failed(addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fails[addr] = append(t.recent(addr), time.Now())
}

type session struct {
	token    string
	teammate int64
	csrf     string
	expires  time.Time
}

type sessions struct {
	mu  sync.Mutex
	all map[string]*session
}

func newSessions() *sessions { return &sessions{all: map[string]*session{}} }

func token() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // no randomness: nothing here can be made safe
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// start always issues a new token, so a token planted before sign-in
// (session fixation) never becomes a session.
func (ss *sessions) start(teammate int64) *session {
	s := &session{token: token(), teammate: teammate, csrf: token(), expires: time.Now().Add(sessionLife)}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, v := range ss.all {
		if time.Now().After(v.expires) {
			delete(ss.all, k)
		}
	}
	ss.all[s.token] = s
	return s
}

func (ss *sessions) find(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.all[c.Value]
	if s == nil || time.Now().After(s.expires) {
		delete(ss.all, c.Value)
		return nil
	}
	return s
}

func (ss *sessions) end(r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		ss.mu.Lock()
		delete(ss.all, c.Value)
		ss.mu.Unlock()
	}
}

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// checkCSRF refuses a form whose token is not the session's.
func checkCSRF(r *http.Request, s *session) error {
	if !sameToken(r.PostFormValue("csrf"), s.csrf) {
		return errForbidden
	}
	return nil
}

var errForbidden = errors.New("the form's security token is missing or wrong: reload the page and try again")

type signinView struct {
	CSRF, Login, Problem string
}

func (s *server) signinPage(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		// Keep a token already issued: a second tab, or the browser's own
		// requests redirected here, must not void the form on screen.
		pre := ""
		if c, err := r.Cookie(preCookie); err == nil && len(c.Value) == 43 {
			pre = c.Value
		} else {
			pre = token()
		}
		setCookie(w, r, preCookie, pre, 600)
		s.render(w, http.StatusOK, "signin", nil, signinView{CSRF: pre})
	case http.MethodPost:
		s.signIn(w, r)
	default:
		http.Error(w, "GET or POST", http.StatusMethodNotAllowed)
	}
}

func (s *server) signIn(w http.ResponseWriter, r *http.Request) {
	pre, err := r.Cookie(preCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), pre.Value) {
		s.fail(w, r, nil, errForbidden)
		return
	}
	login, addr := r.PostFormValue("login"), clientAddress(r)
	if s.throttle.blocked(addr) {
		s.render(w, http.StatusTooManyRequests, "signin", nil, signinView{CSRF: pre.Value, Login: login,
			Problem: "Too many wrong sign-ins from this address: try again in a few minutes."})
		return
	}
	id, err := s.p.TeammateSignIn(login, r.PostFormValue("password"))
	if err != nil {
		s.throttle.failed(addr)
		next := token()
		setCookie(w, r, preCookie, next, 600)
		problem := "Wrong phone number or password."
		if errors.Is(err, switchboard.ErrLimit) {
			problem = "Too many wrong passwords: signing in is locked for 15 minutes. An admin can reset your password."
		} else if errors.Is(err, switchboard.ErrPhone) {
			problem = "That is not a US or Canadian phone number."
		}
		s.render(w, http.StatusUnauthorized, "signin", nil, signinView{CSRF: next, Login: login, Problem: problem})
		return
	}
	s.sessions.end(r)
	setCookie(w, r, preCookie, "", -1)
	setCookie(w, r, sessionCookie, s.sessions.start(id).token, int(sessionLife/time.Second))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *server) signOut(w http.ResponseWriter, r *http.Request, me *session) error {
	s.sessions.end(r)
	setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}
