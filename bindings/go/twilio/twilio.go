// Package twilio is the Go binding of libswitchboard-twilio, the Twilio
// carrier adapter (switchboard/twilio.h): webhooks in, REST and TwiML out,
// signatures checked. It links libcurl and libcrypto through the adapter
// library; the switchboard package itself stays free of them.
//
//	tw, _ := twilio.New(twilio.Options{AccountSID: sid, AuthToken: token,
//		WebhookBase: "https://clinic.example/twilio", Host: timers})
//	p, _ := switchboard.Open("clinic.db", &switchboard.Options{Carrier: tw})
//	http.Handle("/twilio/", http.StripPrefix("/twilio", tw.Handler()))
//
// An Adapter serves one Practice; its calls are serialised with that
// practice's, so it is safe for use by several goroutines.
package twilio

/*
#cgo pkg-config: switchboard-twilio
#include <stdint.h>
#include <stdlib.h>
#include <switchboard.h>
#include <switchboard/twilio.h>

static void *sbtw_fill(void) { return (void *)(uintptr_t)sb_twilio_carrier; }
*/
import "C"

import (
	"errors"
	"io"
	"net/http"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"switchboard"
)

// BodyMax is the largest webhook body the adapter reads.
const BodyMax = int(C.SB_TWILIO_BODY_MAX)

// Options say how to reach Twilio. Zero values take the documented defaults.
type Options struct {
	AccountSID  string // "AC" and 32 hex digits
	AuthToken   string
	WebhookBase string // the public https:// URL the routes are served under, no trailing slash
	APIBase     string // "": https://api.twilio.com; http:// only to 127.0.0.1, ::1 or localhost
	Timeout     time.Duration
	Retries     int // extra tries after 429, 503 or no connection; 0: 3, <0: none
	RetryDelay  time.Duration
	HoldMusic   string      // URL; "": Twilio's public classical hold music
	Ringback    string      // URL; "": the hold music
	Beep        string      // URL; "": the beep <Record> plays
	Host        interface{} // serves e-mail and timers: switchboard.EmailSender, switchboard.TimerService
}

// Adapter is one Twilio account's adapter.
type Adapter struct {
	mu   sync.Mutex
	c    *C.sb_twilio
	host interface{}
	base string
	p    *switchboard.Practice
}

func cstr(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

// New makes an adapter. Close it after the practice that uses it.
func New(o Options) (*Adapter, error) {
	var co C.sb_twilio_options
	C.sb_twilio_options_init(&co)
	strs := []*C.char{cstr(o.AccountSID), cstr(o.AuthToken), cstr(o.APIBase), cstr(o.WebhookBase),
		cstr(o.HoldMusic), cstr(o.Ringback), cstr(o.Beep)}
	defer func() {
		for _, s := range strs {
			C.free(unsafe.Pointer(s))
		}
	}()
	co.account_sid, co.auth_token, co.api_base, co.webhook_base = strs[0], strs[1], strs[2], strs[3]
	co.hold_music_url, co.ringback_url, co.beep_url = strs[4], strs[5], strs[6]
	co.timeout_ms = C.int64_t(o.Timeout / time.Millisecond)
	co.retries = C.int(o.Retries)
	co.retry_delay_ms = C.int64_t(o.RetryDelay / time.Millisecond)
	a := &Adapter{host: o.Host, base: o.WebhookBase}
	if rc := C.sb_twilio_new(&a.c, &co); rc != 0 {
		return nil, &switchboard.Error{Code: int(rc), Detail: "the Twilio options are refused"}
	}
	runtime.SetFinalizer(a, (*Adapter).Close)
	return a, nil
}

// Close frees the adapter. Safe to repeat.
func (a *Adapter) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.c != nil {
		C.sb_twilio_free(a.c)
		a.c = nil
		runtime.SetFinalizer(a, nil)
	}
}

// NativeCarrier implements switchboard.NativeCarrier.
func (a *Adapter) NativeCarrier() (fill, ctx unsafe.Pointer, host interface{}) {
	return C.sbtw_fill(), unsafe.Pointer(a.c), a.host
}

// BindPractice implements switchboard.NativeCarrier: one practice per adapter.
func (a *Adapter) BindPractice(p *switchboard.Practice) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.p != nil {
		return &switchboard.Error{Code: int(C.SB_ESTATE), Detail: "the Twilio adapter serves another practice"}
	}
	a.p = p
	return nil
}

// run calls fn with the adapter's handle, serialised with its practice.
func (a *Adapter) run(fn func(p unsafe.Pointer) C.int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.c == nil {
		return &switchboard.Error{Code: int(C.SB_ESTATE), Detail: "the Twilio adapter is closed"}
	}
	call := func(p unsafe.Pointer) (int, string) {
		rc := fn(p)
		if rc != 0 {
			return int(rc), C.GoString(C.sb_twilio_errmsg(a.c))
		}
		return 0, ""
	}
	if a.p == nil {
		rc, detail := call(nil)
		if rc != 0 {
			return &switchboard.Error{Code: rc, Detail: detail}
		}
		return nil
	}
	return a.p.Native(call)
}

// Verify checks an X-Twilio-Signature (HMAC-SHA1 of the URL and the sorted
// form parameters, compared in constant time); "" is a missing signature.
// Errors: ErrSignature, ErrTooBig, ErrWebhook (the body is not form encoding).
func (a *Adapter) Verify(url string, body []byte, signature string) error {
	curl, csig := C.CString(url), cstr(signature)
	defer C.free(unsafe.Pointer(curl))
	defer C.free(unsafe.Pointer(csig))
	cbody := C.CBytes(body)
	defer C.free(cbody)
	return a.run(func(unsafe.Pointer) C.int {
		return C.sb_twilio_verify(a.c, curl, (*C.char)(cbody), C.size_t(len(body)), csig)
	})
}

// RestError is what Twilio answered to the last REST request that failed.
type RestError struct {
	HTTPStatus int // 0: no HTTP answer (no connection, timeout)
	TwilioCode int // 21211, 21610, 20429...; 0 when none
}

// LastError is the last REST failure (zeroes after a success).
func (a *Adapter) LastError() RestError {
	var e C.sb_twilio_error
	_ = a.run(func(unsafe.Pointer) C.int { return C.sb_twilio_last_error(&e, a.c) })
	return RestError{int(e.http_status), int(e.twilio_code)}
}

// Kind is what a webhook became.
type Kind int

const (
	KindNone       Kind = 0
	KindSMS        Kind = 1
	KindSMSStatus  Kind = 2
	KindCall       Kind = 3
	KindTranscript Kind = 4
)

// Request is one webhook as the host's HTTP server received it.
type Request struct {
	URL              string // the full URL Twilio requested, query included
	Signature        string // X-Twilio-Signature; "" when absent
	IdempotencyToken string // I-Twilio-Idempotency-Token, or ""
	Body             []byte // the raw form body
}

// Reply is the HTTP reply to write back, whatever the outcome.
type Reply struct {
	Status      int    // 200, 400, 403, 404, 413, 500 or 503
	ContentType string // "text/xml" or "text/plain"
	Body        string // TwiML, or a short reason without PHI
	Kind        Kind
	CallID      int64                // KindCall
	Applied     bool                 // KindSMSStatus: the report moved the message on
	Delivery    switchboard.Delivery // KindSMS
}

// Webhook takes one webhook: the signature first, then the event, then the
// reply (TwiML for the leg being answered). The reply is filled also when
// err is not nil (a refusal, or a webhook the practice does not take), so
// the host always writes it back.
func (a *Adapter) Webhook(r Request) (Reply, error) {
	var req C.sb_twilio_request
	C.sb_twilio_request_init(&req)
	req.url = C.CString(r.URL)
	defer C.free(unsafe.Pointer(req.url))
	req.signature = cstr(r.Signature)
	defer C.free(unsafe.Pointer(req.signature))
	req.idempotency_token = cstr(r.IdempotencyToken)
	defer C.free(unsafe.Pointer(req.idempotency_token))
	body := C.CBytes(r.Body)
	defer C.free(body)
	req.body, req.body_len = (*C.char)(body), C.size_t(len(r.Body))
	var out C.sb_twilio_reply
	var reply Reply
	a.mu.Lock()
	bound := a.p != nil
	a.mu.Unlock()
	if !bound {
		return reply, &switchboard.Error{Code: int(C.SB_ESTATE), Detail: "no practice was opened with this adapter"}
	}
	err := a.run(func(p unsafe.Pointer) C.int {
		rc := C.sb_twilio_webhook(&out, a.c, (*C.sb_practice)(p), &req)
		if out.status != 0 { // copy before the adapter's next call reuses its buffers
			d := out.delivery
			reply = Reply{int(out.status), C.GoString(out.content_type), C.GoString(out.body), Kind(out.kind),
				int64(out.call_id), out.applied != 0,
				switchboard.Delivery{ConversationID: int64(d.conversation_id), ItemID: int64(d.item_id),
					ContactID: int64(d.contact_id), Duplicate: d.duplicate != 0,
					NewConversation: d.new_conversation != 0, NewContact: d.new_contact != 0}}
		}
		return rc
	})
	return reply, err
}

// Handler serves every webhook route: mount it where WebhookBase points,
// with the prefix stripped (http.StripPrefix). This is all the routing a
// host writes.
func (a *Adapter) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, int64(BodyMax)+1))
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		url := a.base + r.URL.Path
		if r.URL.RawQuery != "" {
			url += "?" + r.URL.RawQuery
		}
		reply, err := a.Webhook(Request{URL: url, Signature: r.Header.Get("X-Twilio-Signature"),
			IdempotencyToken: r.Header.Get("I-Twilio-Idempotency-Token"), Body: body})
		var cbErr *switchboard.CallbackError
		if reply.Status == 0 || errors.As(err, &cbErr) {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", reply.ContentType)
		w.WriteHeader(reply.Status)
		_, _ = io.WriteString(w, reply.Body)
	})
}
