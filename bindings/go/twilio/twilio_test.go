package twilio_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/twilio"
)

const (
	sid   = "AC0123456789abcdef0123456789abcdef"
	token = "go-test-token-0123456789"
	front = "+14155550100"
)

// sdk runs the official Twilio Node SDK (tests/twilio/sdk.js).
func sdk(t *testing.T, args ...string) string {
	t.Helper()
	script, _ := filepath.Abs("../../../tests/twilio/sdk.js")
	out, err := exec.Command("node", append([]string{script}, args...)...).Output()
	if err != nil {
		t.Fatalf("the Twilio SDK did not run (%v): run `make deps-twilio`", err)
	}
	return string(out)
}

// fakeTwilio is Twilio's REST API as the adapter uses it, on loopback.
type fakeTwilio struct {
	mu       sync.Mutex
	requests []*http.Request
	forms    []url.Values
	calls    int
}

func (f *fakeTwilio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r)
	f.forms = append(f.forms, form)
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasSuffix(r.URL.Path, "/Messages.json"):
		w.WriteHeader(201)
		fmt.Fprintf(w, `{"sid": "SM%032d"}`, len(f.requests))
	case strings.HasSuffix(r.URL.Path, "/Calls.json"):
		f.calls++
		w.WriteHeader(201)
		fmt.Fprintf(w, `{"sid": "CA%032d"}`, f.calls)
	default:
		fmt.Fprintf(w, `{"sid": "x"}`)
	}
}

type timers struct{ started []string }

func (h *timers) TimerStart(id string, due int64) error {
	h.started = append(h.started, id)
	return nil
}
func (h *timers) TimerStop(id string) error { return nil }

type world struct {
	rest   *fakeTwilio
	api    *httptest.Server
	hooks  *httptest.Server
	tw     *twilio.Adapter
	p      *switchboard.Practice
	base   string
	admin  int64
	front  int64
	timers *timers
}

func open(t *testing.T) *world {
	w := &world{rest: &fakeTwilio{}, timers: &timers{}}
	w.api = httptest.NewServer(w.rest)
	w.base = "https://clinic.example/twilio"
	var err error
	w.tw, err = twilio.New(twilio.Options{AccountSID: sid, AuthToken: token, WebhookBase: w.base,
		APIBase: w.api.URL, Timeout: 2 * time.Second, Host: w.timers})
	if err != nil {
		t.Fatal(err)
	}
	w.p, err = switchboard.Open(filepath.Join(t.TempDir(), "store.db"), &switchboard.Options{Carrier: w.tw})
	if err != nil {
		t.Fatal(err)
	}
	w.admin, _ = w.p.TeammateAdd(switchboard.ActorSystem, switchboard.TeammateSpec{Name: "Dr. Rivera",
		RingNumbers: []string{"+16175550101"}})
	if w.front, err = w.p.BusinessNumberCreate(w.admin, front, "Front desk"); err != nil {
		t.Fatal(err)
	}
	if err := w.p.EndpointMemberAdd(w.admin, w.front, w.admin); err != nil {
		t.Fatal(err)
	}
	w.hooks = httptest.NewServer(http.StripPrefix("/twilio", w.tw.Handler()))
	t.Cleanup(func() {
		w.hooks.Close()
		w.p.Close()
		w.tw.Close()
		w.api.Close()
	})
	return w
}

// post sends a webhook through the adapter's Handler, signed by the SDK for
// the public URL Twilio would have used.
func (w *world) post(t *testing.T, route string, form url.Values, sign bool) (int, string) {
	body := form.Encode()
	req, _ := http.NewRequest("POST", w.hooks.URL+"/twilio"+route, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sign {
		req.Header.Set("X-Twilio-Signature", sdk(t, "sign", token, w.base+route, body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func TestInboundTextThroughTheHandler(t *testing.T) {
	w := open(t)
	form := url.Values{"MessageSid": {"SM" + strings.Repeat("1", 32)}, "From": {"+12125550142"}, "To": {front},
		"Body": {"Is the clinic open?"}, "NumMedia": {"0"}}
	status, body := w.post(t, "/sms", form, true)
	if status != 200 || !strings.Contains(body, "<Response></Response>") {
		t.Fatalf("inbound text: %d %q", status, body)
	}
	if status, _ := w.post(t, "/sms", form, false); status != 403 {
		t.Fatalf("unsigned: %d", status)
	}
	// Direct, to see the error and the delivery.
	raw := form.Encode()
	reply, err := w.tw.Webhook(twilio.Request{URL: w.base + "/sms", Body: []byte(raw),
		Signature: sdk(t, "sign", token, w.base+"/sms", raw)})
	if err != nil || reply.Kind != twilio.KindSMS || !reply.Delivery.Duplicate {
		t.Fatalf("redelivery: %+v %v", reply, err)
	}
	item, err := w.p.ItemGet(w.admin, reply.Delivery.ItemID)
	if err != nil || item.Text != "Is the clinic open?" {
		t.Fatalf("stored: %+v %v", item, err)
	}
	reply, err = w.tw.Webhook(twilio.Request{URL: w.base + "/sms", Body: []byte(raw + "x"),
		Signature: sdk(t, "sign", token, w.base+"/sms", raw)})
	if !errors.Is(err, switchboard.ErrSignature) || reply.Status != 403 {
		t.Fatalf("one byte more: %+v %v", reply, err)
	}
	if err := w.tw.Verify(w.base+"/sms", []byte("a=%zz"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="); !errors.Is(err, switchboard.ErrWebhook) {
		t.Fatalf("malformed: %v", err)
	}
	if err := w.tw.Verify(w.base+"/sms", make([]byte, twilio.BodyMax+1), ""); !errors.Is(err, switchboard.ErrTooBig) {
		t.Fatalf("oversized: %v", err)
	}
	// A second practice cannot share the adapter.
	if _, err := switchboard.Open(filepath.Join(t.TempDir(), "other.db"), &switchboard.Options{Carrier: w.tw}); !errors.Is(err, switchboard.ErrState) {
		t.Fatalf("second practice: %v", err)
	}
}

func TestSendAndCallGoToTwilio(t *testing.T) {
	w := open(t)
	sent, err := w.p.SMSSend(w.admin, switchboard.OutboundSMS{Endpoint: w.front, To: "+12125550142", Body: "See you at 3."})
	if err != nil || !strings.HasPrefix(sent.CarrierID, "SM") {
		t.Fatalf("send: %+v %v", sent, err)
	}
	r := w.rest.requests[0]
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(sid+":"+token))
	if r.URL.Path != "/2010-04-01/Accounts/"+sid+"/Messages.json" || r.Header.Get("Authorization") != want ||
		w.rest.forms[0].Get("Body") != "See you at 3." {
		t.Fatalf("REST request: %s %v", r.URL.Path, w.rest.forms[0])
	}
	if e := w.tw.LastError(); e != (twilio.RestError{}) {
		t.Fatalf("last error: %+v", e)
	}
	// An inbound call: the ringback TwiML is exactly the SDK's.
	status, body := w.post(t, "/voice", url.Values{"CallSid": {"CA" + strings.Repeat("7", 32)},
		"From": {"+12125550142"}, "To": {front}, "Direction": {"inbound"}}, true)
	hold := "https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3"
	if want := sdk(t, "twiml", `[["play",{"loop":0},"`+hold+`"]]`); status != 200 || body != want {
		t.Fatalf("ringback TwiML:\n%s\nSDK:\n%s", body, want)
	}
	if w.rest.calls != 1 || w.rest.forms[1].Get("To") != "+16175550101" || len(w.timers.started) != 1 {
		t.Fatalf("legs placed: %d %v", w.rest.calls, w.rest.forms[1])
	}
}

func TestOptionsRefused(t *testing.T) {
	if _, err := twilio.New(twilio.Options{AccountSID: "AC1", AuthToken: token, WebhookBase: "https://x.example"}); !errors.Is(err, switchboard.ErrInvalid) {
		t.Fatalf("bad SID: %v", err)
	}
	if _, err := twilio.New(twilio.Options{AccountSID: sid, AuthToken: token, WebhookBase: "https://x.example",
		APIBase: "http://api.twilio.com"}); !errors.Is(err, switchboard.ErrInvalid) {
		t.Fatalf("plain HTTP off loopback: %v", err)
	}
}
