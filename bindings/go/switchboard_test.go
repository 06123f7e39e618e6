package switchboard

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"switchboard/internal/pqtest"
)

var keyA = []byte("0123456789abcdef0123456789abcdef")
var keyB = []byte("fedcba9876543210fedcba9876543210")

func storePath(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "store.db")
}

func mustOpen(t *testing.T, path string, opts *Options) *Practice {
	t.Helper()
	p, err := Open(path, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// staff adds teammates 1..n through the system; teammate 1 is the admin.
func staff(t *testing.T, p *Practice, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		id, err := p.TeammateAdd(ActorSystem, TeammateSpec{Name: fmt.Sprintf("Teammate %d", i)})
		if err != nil || id != int64(i) {
			t.Fatalf("adding teammate %d: %d %v", i, id, err)
		}
	}
}

func fixedClock(ms int64) Clock { return ClockFunc(func() (int64, error) { return ms, nil }) }

func TestVersionAndErrors(t *testing.T) {
	if Version() != 100 || VersionString() != "0.1.0" {
		t.Fatalf("version %d %q", Version(), VersionString())
	}
	sentinels := []*Error{ErrGeneric, ErrNoMemory, ErrInvalid, ErrNotFound, ErrConflict, ErrDenied, ErrUTF8,
		ErrPhone, ErrTooBig, ErrStore, ErrBusy, ErrSchema, ErrKey, ErrCrypto, ErrCorrupt, ErrVersion, ErrState,
		ErrCallback, ErrNotSupported, ErrRoute, ErrSecure}
	for i, s := range sentinels {
		if s.Code != -(i + 1) {
			t.Fatalf("sentinel %d has code %d", i, s.Code)
		}
		err := error(&Error{Code: s.Code, Detail: "d"})
		if !errors.Is(err, s) || (i > 0 && errors.Is(err, sentinels[i-1])) {
			t.Fatalf("errors.Is broken for code %d", s.Code)
		}
		if StrError(s.Code) == "unknown error" {
			t.Fatalf("no text for %d", s.Code)
		}
	}
}

func TestParsePhone(t *testing.T) {
	for _, typed := range []string{"(415) 555-2671", "+1 415 555 2671", "14155552671"} {
		ph, err := ParsePhone(typed)
		if err != nil || ph != (Phone{"+14155552671", "geographic", "US"}) || !ph.IsNANP() {
			t.Fatalf("%q: %+v %v", typed, ph, err)
		}
	}
	cases := map[string]string{"604-555-2671": "CA", "1-800-555-2671": "", "911": ""}
	for typed, country := range cases {
		ph, err := ParsePhone(typed)
		if err != nil || ph.Country != country {
			t.Fatalf("%q: %+v %v", typed, ph, err)
		}
	}
	if ph, _ := ParsePhone("911"); ph.Kind != "emergency" || ph.IsNANP() {
		t.Fatalf("911: %+v", ph)
	}
	// Pasted forms, toll-free N11 exchanges, 112, and who can be texted (C14).
	for typed, want := range map[string]string{"(415)\u00a0555\u20132671": "+14155552671",
		"415\u2212555\u22122671": "+14155552671", "1-800-411-2671": "+18004112671", "112": "112"} {
		if ph, err := ParsePhone(typed); err != nil || ph.Number != want {
			t.Fatalf("%q: %+v %v", typed, ph, err)
		}
	}
	for typed, textable := range map[string]bool{"604-555-2671": true, "787-555-2671": true,
		"876-555-2671": false, "900-555-2671": false, "911": false} {
		if ph, err := ParsePhone(typed); err != nil || ph.IsTextable() != textable {
			t.Fatalf("%q textable: %+v %v", typed, ph, err)
		}
	}
	refusals := map[string]string{"(123) 456-7890": "start with 0 or 1", "495 555 2671": "middle digit",
		"375 555 2671": "reserved", "415 411 2671": "N11", "1-800-FLOWERS": "only digits", "": "no digits",
		"415\x00555": "NUL"}
	for typed, phrase := range refusals {
		_, err := ParsePhone(typed)
		var pe *PhoneError
		if !errors.As(err, &pe) || !errors.Is(err, ErrPhone) || !strings.Contains(pe.Text, phrase) || pe.Problem == 0 {
			t.Fatalf("%q: %v", typed, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open("/nonexistent-dir/x/store.db", nil); !errors.Is(err, ErrStore) {
		t.Fatalf("bad path: %v", err)
	}
	path := storePath(t)
	if _, err := Open(path, &Options{Practice: "bad \xc3\x28 name"}); !errors.Is(err, ErrUTF8) {
		t.Fatalf("utf8: %v", err)
	}
	_, err := Open(path, &Options{Practice: strings.Repeat("a", 129)})
	if !errors.Is(err, ErrTooBig) || !strings.Contains(err.Error(), "practice name") {
		t.Fatalf("too long: %v", err)
	}
	if _, err := Open(path, &Options{Key: []byte("short")}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("short key: %v", err)
	}
}

func TestKeys(t *testing.T) {
	path := storePath(t)
	mustOpen(t, path, &Options{Practice: "sealed", Key: keyA}).Close()
	mustOpen(t, path, &Options{Practice: "plain"}).Close()
	mustOpen(t, path, &Options{Practice: "sealed", Key: keyA}).Close()
	for _, o := range []*Options{{Practice: "sealed"}, {Practice: "sealed", Key: keyB}, {Practice: "plain", Key: keyA}} {
		if _, err := Open(path, o); !errors.Is(err, ErrKey) {
			t.Fatalf("%+v: %v", o.Practice, err)
		}
	}
}

func TestTwoPracticesIsolated(t *testing.T) {
	path := storePath(t)
	north := mustOpen(t, path, &Options{Practice: "North"})
	south := mustOpen(t, path, &Options{Practice: "South"})
	if north.ID() == south.ID() {
		t.Fatal("same id")
	}
	for i := int64(0); i < 3; i++ {
		if err := north.AuditRecord(ActorSystem, "chart.export", "contact", 100+i); err != nil {
			t.Fatal(err)
		}
	}
	if err := south.AuditRecord(ActorSystem, "chart.print", "contact", 555); err != nil {
		t.Fatal(err)
	}
	entries, err := south.AuditAll(ActorSystem, 0, 10)
	if err != nil || len(entries) != 2 || entries[1].Action != "chart.print" || entries[1].ObjectID != 555 {
		t.Fatalf("south sees %+v %v", entries, err)
	}
	if n, err := north.AuditVerify(ActorSystem); err != nil || n != 4 {
		t.Fatalf("north verify %d %v", n, err)
	}
}

func TestTransactions(t *testing.T) {
	p := mustOpen(t, storePath(t), &Options{Clock: fixedClock(1000)})
	if err := p.Commit(); !errors.Is(err, ErrState) {
		t.Fatalf("commit without begin: %v", err)
	}
	hostErr := errors.New("host failure mid-import")
	err := p.Transaction(func() error {
		if err := p.AuditRecord(ActorSystem, "import.row", "contact", 1); err != nil {
			return err
		}
		return hostErr
	})
	if err != hostErr {
		t.Fatalf("transaction: %v", err)
	}
	if head, _ := p.AuditHead(); head != 1 {
		t.Fatalf("rolled-back row is there: head %d", head)
	}
	err = p.Transaction(func() error {
		if err := p.AuditRecord(ActorSystem, "Not An Action", "contact", 2); !errors.Is(err, ErrInvalid) {
			t.Errorf("bad action: %v", err)
		}
		return p.AuditRecord(ActorSystem, "import.row", "contact", 1)
	})
	if head, _ := p.AuditHead(); err != nil || head != 2 {
		t.Fatalf("commit: head %d %v", head, err)
	}
}

func TestAuditReadAndBadInput(t *testing.T) {
	p := mustOpen(t, storePath(t), &Options{Clock: fixedClock(1000)})
	for i := int64(0); i < 3; i++ {
		if err := p.AuditRecord(ActorSystem, "chart.export", "contact", 40+i); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := p.AuditRead(ActorSystem, 0, 10)
	want := AuditEntry{2, 1000, ActorSystem, "chart.export", "contact", 40}
	if err != nil || len(entries) != 4 || entries[1] != want {
		t.Fatalf("read %+v %v", entries, err)
	}
	all, err := p.AuditAll(ActorSystem, 0, 1) // ends where the trail ended when it began
	if err != nil || len(all) != 5 {
		t.Fatalf("all: %d %v", len(all), err)
	}
	if _, err := p.AuditRead(ActorSystem, 0, 0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("limit 0: %v", err)
	}
	if err := p.AuditRecord(ActorSystem, strings.Repeat("a", 64), "contact", 1); !errors.Is(err, ErrTooBig) {
		t.Fatalf("long action: %v", err)
	}
	err = p.AuditRecord(ActorSystem, "Viewed Jane Doe", "contact", 1)
	if !errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), "Jane") {
		t.Fatalf("free text: %v", err)
	}
	if err := p.AuditRecord(ActorSystem, "chart\x00view", "contact", 1); !errors.Is(err, ErrInvalid) {
		t.Fatalf("NUL: %v", err)
	}
	if err := p.AuditRecord(-1, "chart.view", "contact", 1); !errors.Is(err, ErrInvalid) {
		t.Fatalf("negative actor: %v", err)
	}
}

func TestBusy(t *testing.T) {
	path := storePath(t)
	a := mustOpen(t, path, nil)
	b := mustOpen(t, path, &Options{BusyTimeout: -1})
	if err := a.Begin(); err != nil {
		t.Fatal(err)
	}
	if err := b.AuditRecord(ActorSystem, "chart.view", "contact", 1); !errors.Is(err, ErrBusy) {
		t.Fatalf("busy: %v", err)
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := b.AuditRecord(ActorSystem, "chart.view", "contact", 1); err != nil {
		t.Fatal(err)
	}
}

func TestClockErrorAndPanic(t *testing.T) {
	down := errors.New("clock is down")
	mode := ""
	clock := ClockFunc(func() (int64, error) {
		switch mode {
		case "error":
			return 0, down
		case "panic":
			panic("clock exploded")
		}
		return 1000, nil
	})
	p := mustOpen(t, storePath(t), &Options{Clock: clock})
	mode = "error"
	err := p.AuditRecord(ActorSystem, "chart.view", "contact", 1)
	if !errors.Is(err, down) || !errors.Is(err, ErrCallback) {
		t.Fatalf("error: %v", err)
	}
	mode = "panic"
	_, err = p.Now()
	var pe *PanicError
	if !errors.As(err, &pe) || !errors.Is(err, ErrCallback) {
		t.Fatalf("panic: %v", err)
	}
	mode = ""
	if n, err := p.AuditVerify(ActorSystem); err != nil || n != 1 {
		t.Fatalf("the failed calls wrote something: %d %v", n, err)
	}
	mode = "panic"
	if _, err := Open(storePath(t), &Options{Clock: clock}); !errors.Is(err, ErrCallback) {
		t.Fatalf("open with a panicking clock: %v", err)
	}
}

type recordingCarrier struct {
	sent []SMS
	held []string
	fail bool
}

func (c *recordingCarrier) SendSMS(m SMS) (string, error) {
	if c.fail {
		panic("carrier exploded")
	}
	c.sent = append(c.sent, m)
	return "SM1", nil
}

func (c *recordingCarrier) Originate(CallOriginate) (string, error) { return "CA1", nil }
func (c *recordingCarrier) Cancel(string) error                     { return nil }
func (c *recordingCarrier) Answer(string) error                     { return nil }
func (c *recordingCarrier) Play(string, Play) error                 { return nil }
func (c *recordingCarrier) Hold(leg string, on bool) error {
	if !on {
		return errors.New("cannot unhold")
	}
	c.held = append(c.held, leg)
	return nil
}
func (c *recordingCarrier) Bridge(string, string) error { return nil }
func (c *recordingCarrier) Record(string, Record) error { return nil }
func (c *recordingCarrier) Hangup(string) error         { return nil }

func TestCarrierThroughTheVtable(t *testing.T) {
	c := &recordingCarrier{}
	id, rc, err := invokeSendSMS(c, "+14155550100", "+14155550123", "caf\u00e9 \U0001F600", "k1", 128)
	if rc != 0 || err != nil || id != "SM1" || len(c.sent) != 1 ||
		!reflect.DeepEqual(c.sent[0], SMS{From: "+14155550100", To: "+14155550123", Body: "caf\u00e9 \U0001F600", IdempotencyKey: "k1"}) {
		t.Fatalf("send: %q %d %v %+v", id, rc, err, c.sent)
	}
	if _, rc, err := invokeSendSMS(c, "a", "b", "c", "d", 2); rc != -1 || err == nil {
		t.Fatalf("id too long: %d %v", rc, err)
	}
	c.fail = true
	_, rc, err = invokeSendSMS(c, "a", "b", "c", "d", 128)
	var pe *PanicError
	if rc != -1 || !errors.As(err, &pe) {
		t.Fatalf("panic: %d %v", rc, err)
	}
	if rc, err := invokeHold(c, "leg1", true); rc != 0 || err != nil || c.held[0] != "leg1" {
		t.Fatalf("hold: %d %v", rc, err)
	}
	if rc, err := invokeHold(c, "leg1", false); rc != -1 || err == nil {
		t.Fatalf("hold error: %d %v", rc, err)
	}
	if hasSendEmail(c) { // no EmailSender: the library gets NULL and refuses
		t.Fatal("send_email set for a carrier without SendEmail")
	}
	p := mustOpen(t, storePath(t), &Options{Carrier: c})
	if err := p.AuditRecord(ActorSystem, "chart.view", "contact", 1); err != nil {
		t.Fatal(err)
	}
}

func TestClosedPractice(t *testing.T) {
	p := mustOpen(t, storePath(t), nil)
	p.Close()
	p.Close()
	if err := p.AuditRecord(ActorSystem, "chart.view", "contact", 1); !errors.Is(err, ErrState) {
		t.Fatalf("closed: %v", err)
	}
	if p.ID() != 0 {
		t.Fatal("closed practice has an id")
	}
}

func fdCount(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// Opening and freeing many handles, half by Close and half by the finalizer,
// leaves no file descriptors, cgo handles or memory behind.
func TestOpenCloseLoopLeaksNothing(t *testing.T) {
	path := storePath(t)
	mustOpen(t, path, nil).Close()
	runtime.GC()
	fd0 := fdCount(t)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for i := 0; i < 1500; i++ {
		p, err := Open(path, &Options{Clock: fixedClock(int64(i)), Carrier: &recordingCarrier{}})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			p.Close()
		}
	}
	// Finalizers run on their own goroutine after a collection: give them up
	// to five seconds to close the handles left to them.
	fd := fdCount(t)
	for deadline := time.Now().Add(5 * time.Second); fd > fd0+1 && time.Now().Before(deadline); fd = fdCount(t) {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	runtime.ReadMemStats(&ms1)
	if fd > fd0+1 {
		t.Fatalf("descriptors grew from %d to %d", fd0, fd)
	}
	if grow := int64(ms1.HeapAlloc) - int64(ms0.HeapAlloc); grow > 4<<20 {
		t.Fatalf("Go heap grew by %d bytes", grow)
	}
}

// pgStore makes a fresh schema on the server `make test` starts (SB_TEST_PG)
// and returns a URI that puts switchboard in it. Without the server the test
// fails: the PostgreSQL half never silently skips.
func pgStore(t *testing.T) string {
	t.Helper()
	base := os.Getenv("SB_TEST_PG")
	if base == "" {
		t.Fatal("SB_TEST_PG is not set: run through `make test`, which starts a PostgreSQL server")
	}
	schema := fmt.Sprintf("sbgo_%d_%s", os.Getpid(), strings.ToLower(t.Name()))
	conn, err := pqtest.Connect(base)
	if err != nil {
		t.Fatal(err)
	}
	defer pqtest.Finish(conn)
	if err := pqtest.Exec(conn, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pqtest.Connect(base); err == nil {
			pqtest.Exec(c, "DROP SCHEMA "+schema+" CASCADE")
			pqtest.Finish(c)
		}
	})
	return base + "&options=-csearch_path%3D" + schema
}

func TestPostgresByURIAndConninfo(t *testing.T) {
	uri := pgStore(t)
	p := mustOpen(t, uri, &Options{Practice: "North"})
	if err := p.AuditRecord(ActorSystem, "chart.view", "contact", 7); err != nil {
		t.Fatal(err)
	}
	id := p.ID()
	p.Close()
	q, err := OpenPostgres(uri, &Options{Practice: "North", BusyTimeout: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if q.ID() != id {
		t.Fatalf("reopened practice %d, want %d", q.ID(), id)
	}
	if rows, err := q.AuditVerify(ActorSystem); err != nil || rows != 2 {
		t.Fatalf("verify: %d %v", rows, err)
	}
	_, err = Open("postgresql:///switchboard?host=/nonexistent-dir-for-sure", nil)
	if !errors.Is(err, ErrStore) || !strings.Contains(err.Error(), "cannot connect") {
		t.Fatalf("unreachable server: %v", err)
	}
}

func TestPostgresLentConnection(t *testing.T) {
	uri := pgStore(t)
	conn, err := pqtest.Connect(uri)
	if err != nil {
		t.Fatal(err)
	}
	defer pqtest.Finish(conn)
	p, err := OpenPGConn(conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Transaction(func() error { return p.AuditRecord(ActorSystem, "chart.view", "contact", 1) }); err != nil {
		t.Fatal(err)
	}
	p.Close()
	if !pqtest.Idle(conn) {
		t.Fatal("the lent connection was not handed back open and idle")
	}
	if err := pqtest.Exec(conn, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPGConn(conn, nil); !errors.Is(err, ErrState) {
		t.Fatalf("connection inside a transaction: %v", err)
	}
	pqtest.Exec(conn, "ROLLBACK")
	if _, err := OpenPGConn(nil, nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("nil connection: %v", err)
	}
}

func TestBusinessNumbers(t *testing.T) {
	p := mustOpen(t, storePath(t), &Options{Clock: fixedClock(1000)})
	staff(t, p, 12)
	main, err := p.BusinessNumberCreate(1, "(415) 555-2671", "Front desk")
	if err != nil {
		t.Fatal(err)
	}
	if id, err := p.BusinessNumberFind(2, "+1 415 555 2671"); err != nil || id != main {
		t.Fatalf("find: %d %v", id, err)
	}
	e, err := p.EndpointGet(2, main)
	if err != nil || e.Kind != BusinessNumber || e.Address != "+14155552671" || e.Label != "Front desk" ||
		e.OwnerKind != OwnerPractice || e.CreatedAt != 1000 || e.RetiredAt != 0 {
		t.Fatalf("get: %+v %v", e, err)
	}
	second, _ := p.BusinessNumberCreate(1, "800-555-0199", "Toll free")
	if err := p.EndpointSetLabel(1, second, "Billing"); err != nil {
		t.Fatal(err)
	}
	if err := p.EndpointRetire(1, second); err != nil {
		t.Fatal(err)
	}
	active, _ := p.EndpointList(2, BusinessNumber, 0, 10, false)
	all, _ := p.EndpointList(2, BusinessNumber, 0, 10, true)
	if len(active) != 1 || len(all) != 2 || all[1].Label != "Billing" || all[1].RetiredAt == 0 {
		t.Fatalf("list: %+v / %+v", active, all)
	}
	if _, err := p.BusinessNumberCreate(1, "+14155552671", "Again"); !errors.Is(err, ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := p.BusinessNumberCreate(2, "+44 20 7946 0958", "London"); !errors.Is(err, ErrPhone) {
		t.Fatalf("non-NANP: %v", err)
	}
	if _, err := p.BusinessNumberCreate(2, "4155552672", "bad \xc3\x28"); !errors.Is(err, ErrUTF8) {
		t.Fatalf("bad label: %v", err)
	}
	if _, err := p.EndpointGet(2, main+100); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
	if err := p.EndpointRetire(1, second); !errors.Is(err, ErrState) {
		t.Fatalf("retire twice: %v", err)
	}
	if err := p.EndpointRetire(2, main); !errors.Is(err, ErrDenied) {
		t.Fatalf("T6: only admins retire numbers: %v", err)
	}
	if _, err := p.EndpointList(2, BusinessNumber, 0, 0, false); !errors.Is(err, ErrInvalid) {
		t.Fatalf("limit 0: %v", err)
	}
}

func TestContacts(t *testing.T) {
	path := storePath(t)
	p := mustOpen(t, path, &Options{Key: keyA, Clock: fixedClock(7000)})
	staff(t, p, 12)
	jane, err := p.ContactCreate(1, "Jane Patient")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.ContactSave(1, jane, "Jane Q. Patient"); err != nil {
		t.Fatal(err)
	}
	if err := p.ContactSetNotes(1, jane, "prefers texts"); err != nil {
		t.Fatal(err)
	}
	c, err := p.ContactGet(1, jane)
	if err != nil || c.Name != "Jane Q. Patient" || !c.Saved || c.CreatedAt != 7000 {
		t.Fatalf("get: %+v %v", c, err)
	}
	if notes, err := p.ContactNotes(1, jane); err != nil || notes != "prefers texts" {
		t.Fatalf("notes: %q %v", notes, err)
	}
	if _, err := p.ContactAddAddress(1, jane, AddressPhone, "(415) 555-2671"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ContactAddAddress(1, jane, AddressEmail, "Jane@Example.org"); err != nil {
		t.Fatal(err)
	}
	addrs, err := p.ContactAddresses(1, jane)
	if err != nil || len(addrs) != 2 || addrs[0].Value != "+14155552671" || addrs[1].Kind != AddressEmail {
		t.Fatalf("addresses: %+v %v", addrs, err)
	}
	if id, err := p.ContactFind(1, AddressEmail, "jane@EXAMPLE.org"); err != nil || id != jane {
		t.Fatalf("find: %d %v", id, err)
	}
	john, _ := p.ContactCreate(1, "John")
	if _, err := p.ContactAddAddress(1, john, AddressPhone, "+14155552671"); !errors.Is(err, ErrConflict) {
		t.Fatalf("second holder: %v", err)
	}
	if _, err := p.ContactAddAddress(1, john, AddressPhone, "555-CALL-NOW"); !errors.Is(err, ErrPhone) {
		t.Fatalf("bad number: %v", err)
	}
	if ids, err := p.ContactSearch(1, "ja pat", 0, 10); err != nil || len(ids) != 1 || ids[0] != jane {
		t.Fatalf("search by name: %v %v", ids, err)
	}
	if ids, err := p.ContactSearch(1, "J", 0, 10); err != nil || len(ids) != 2 || ids[1] != john {
		t.Fatalf("search by initial: %v %v", ids, err)
	}
	if ids, err := p.ContactSearch(1, "415.555.2671", 0, 10); err != nil || len(ids) != 1 || ids[0] != jane {
		t.Fatalf("search by number: %v %v", ids, err)
	}
	if _, err := p.ContactSearch(1, "--", 0, 10); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty query: %v", err)
	}
	if err := p.ContactRemoveAddress(1, jane, AddressPhone, "4155552671"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ContactFind(1, AddressPhone, "4155552671"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed number: %v", err)
	}
	if _, err := p.ContactGet(1, john+100); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown contact: %v", err)
	}
	p.Close()
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "Jane Q. Patient") {
		t.Fatal("the name is stored in clear")
	}
}
