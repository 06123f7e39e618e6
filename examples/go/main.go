// A small tour of switchboard from Go: open a practice, parse numbers, record
// and verify the audit trail. Run: go run . [DB]
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"switchboard"
)

func main() {
	var path string
	if len(os.Args) > 1 {
		path = os.Args[1]
	} else {
		dir, err := os.MkdirTemp("", "switchboard-go-demo")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "demo.db")
	}
	if err := run(path); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1) // deferred cleanup is skipped; the temp folder is the OS's to reap
	}
}

func run(path string) error {
	fmt.Printf("switchboard %s from Go\n", switchboard.VersionString())
	clinic, err := switchboard.Open(path, &switchboard.Options{Practice: "Maple Street Clinic"})
	if err != nil {
		return err
	}
	defer clinic.Close()
	for _, typed := range []string{"(415) 555-2671", "911", "(123) 456-7890"} {
		ph, err := switchboard.ParsePhone(typed)
		if errors.Is(err, switchboard.ErrPhone) {
			fmt.Printf("  %-16s -> refused: %v\n", typed, err)
			continue
		}
		fmt.Printf("  %-16s -> %s (%s)\n", typed, ph.Number, ph.Kind)
	}
	err = clinic.Transaction(func() error {
		if err := clinic.AuditRecord(switchboard.ActorSystem, "chart.export", "contact", 42); err != nil {
			return err
		}
		return clinic.AuditRecord(switchboard.ActorSystem, "chart.print", "contact", 42)
	})
	if err != nil {
		return err
	}
	n, err := clinic.AuditVerify(switchboard.ActorSystem)
	if err != nil {
		return err
	}
	fmt.Printf("audit trail: %d entries, chain intact\n", n)
	return nil
}
