package main

// Live updates by server-sent events. An event says only "something
// changed", never what: each open page then fetches itself again through
// its own handler, so what a teammate sees is still decided by the library.

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

type hub struct {
	mu      sync.Mutex
	clients map[chan struct{}]struct{}
}

func newHub() *hub { return &hub{clients: map[chan struct{}]struct{}{}} }

func (h *hub) changed() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- struct{}{}:
		default: // one pending notice is as good as many
		}
	}
}

// afterEach announces a change after every request next serves.
func (h *hub) afterEach(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		h.changed()
	})
}

func (h *hub) subscribe() chan struct{} {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	return c
}

func (h *hub) unsubscribe(c chan struct{}) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

func (s *server) events(w http.ResponseWriter, r *http.Request, me *session) error {
	flusher, ok := w.(http.Flusher)
	if !ok {
		return errNoPage
	}
	w.Header().Set("Content-Type", "text/event-stream")
	c := s.hub.subscribe()
	defer s.hub.unsubscribe(c)
	fmt.Fprint(w, "retry: 2000\n\n")
	flusher.Flush()
	beat := time.NewTicker(25 * time.Second)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-c:
			if s.sessions.find(r) == nil { // signed out meanwhile
				return nil
			}
			fmt.Fprint(w, "event: change\ndata: 1\n\n")
		case <-beat.C:
			fmt.Fprint(w, ": still here\n\n")
		}
		flusher.Flush()
	}
}
