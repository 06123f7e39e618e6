// The front-desk web inbox: a reference host over the switchboard Go binding,
// standard library only. Teammates sign in, work the shared inbox, their own
// and their teams' mailboxes, reply, note, assign, close and reopen; every
// page shows only what the signed-in teammate may see, because every read
// goes to the library with that teammate as the actor.
//
//	go run . [-db FILE] [-addr 127.0.0.1:0] [-password P]
//
// A new store is seeded with a demo practice, and a simulated carrier page
// (/demo) sends inbound texts and rings numbers. With TWILIO_ACCOUNT_SID,
// TWILIO_AUTH_TOKEN and TWILIO_WEBHOOK_BASE set, the practice uses the Twilio
// adapter instead and its webhook routes are served under /twilio/.
package main

import (
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"switchboard"
)

func main() {
	db := flag.String("db", "switchboard-inbox.db", "the SQLite file (created and seeded if new)")
	addr := flag.String("addr", "127.0.0.1:0", "where to listen (loopback; port 0 picks a free one)")
	password := flag.String("password", os.Getenv("SB_INBOX_PASSWORD"),
		"the demo teammates' password when seeding (default: a random one, printed)")
	flag.Parse()
	if err := run(*db, *addr, *password); err != nil {
		log.Fatal(err)
	}
}

func run(db, addr, password string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	_, statErr := os.Stat(db)
	fresh := os.IsNotExist(statErr)
	carrier, twilioRoutes, err := newCarrier(base)
	if err != nil {
		return err
	}
	p, err := switchboard.Open(db, &switchboard.Options{Practice: "Maple Street Clinic", Carrier: carrier.native()})
	if err != nil {
		return err
	}
	defer p.Close()
	if fresh {
		if password == "" {
			password = randomPassword()
		}
		if err := seed(p, password); err != nil {
			return fmt.Errorf("seeding the demo practice: %w", err)
		}
		fmt.Printf("seeded a demo practice; sign in as (415) 555-0171 (Dana, admin), 0172 (Eli) or 0173 (Fay),"+
			" password %q\n", password)
	}
	s, err := newServer(p, carrier, twilioRoutes)
	if err != nil {
		return err
	}
	fmt.Printf("inbox: %s/\n", base)
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

func randomPassword() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
