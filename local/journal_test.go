package local_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/local"
)

// TestStatusNamesTheDatesOfAKilledCommand kills, for real, a process that holds a state and set out to
// compute a range: the next status names every date of the range as interrupted by that command, and a
// later command over the range that ends takes the blame off.
func TestStatusNamesTheDatesOfAKilledCommand(t *testing.T) {
	if dir := os.Getenv("PLTV_TEST_DIE_HOLDING"); dir != "" {
		rt, err := local.Open(context.Background(), config.Default(), local.Options{StateDir: dir, Command: "pltv backfill --from 20110301 --to 20110303"})
		if err == nil {
			err = rt.Intend("20110301", "20110303")
		}
		if err != nil {
			os.Exit(3)
		}
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStatusNamesTheDatesOfAKilledCommand$")
	cmd.Env = append(os.Environ(), "PLTV_TEST_DIE_HOLDING="+dir)
	if err := cmd.Run(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the holder: %v, want it killed", err)
	}

	status := func() map[string]string {
		t.Helper()
		rt, err := local.Open(context.Background(), config.Default(), local.Options{StateDir: dir, Command: "pltv status"})
		if err != nil {
			t.Fatal(err)
		}
		defer rt.Close()
		ds, err := rt.Status(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, d := range ds {
			out[d.Date] = d.State + ": " + d.Reason
		}
		return out
	}
	got := status()
	if len(got) != 3 {
		t.Errorf("status lists %v, want the 3 dates of the killed command", got)
	}
	for _, d := range []string{"20110301", "20110302", "20110303"} {
		if want := "pending: interrupted: `pltv backfill --from 20110301 --to 20110303` (PID "; !strings.HasPrefix(got[d], want) {
			t.Errorf("status of %s = %q, want %q...", d, got[d], want)
		}
	}
	if again := status(); len(again) != 3 {
		t.Errorf("status a second time lists %v, want the same 3 dates", again)
	}

	rt, err := local.Open(context.Background(), config.Default(), local.Options{StateDir: dir, Command: "pltv run --from 20110302 --to 20110303"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Intend("20110302", "20110303"); err != nil {
		t.Fatal(err)
	}
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	got = status()
	if len(got) != 1 || !strings.Contains(got["20110301"], "interrupted") {
		t.Errorf("status after a run of 20110302..20110303 that ended = %v, want only 20110301 interrupted", got)
	}
	journal, err := local.ReadJournal(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(journal) != 2 || !journal[0].Interrupted || journal[1].Interrupted || journal[1].Ended == nil {
		t.Errorf("journal = %+v, want the killed command interrupted and the run ended", journal)
	}
}

func TestABadJournalIsNamed(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/"+local.JournalFile, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := local.Open(context.Background(), config.Default(), local.Options{StateDir: dir})
	if err == nil || !strings.Contains(err.Error(), local.JournalFile) {
		t.Fatalf("open with a bad journal: %v, want an error naming %s", err, local.JournalFile)
	}
	if _, err := local.LockState(dir, "pltv status"); err != nil && !strings.Contains(err.Error(), local.JournalFile) {
		t.Errorf("the state is left locked after the refusal: %v", err)
	}
}

func TestInterruptionSaysWhatToRun(t *testing.T) {
	journal := []local.JournalEntry{
		{PID: 7, Command: "pltv serve --state s", Ranges: []local.DateRange{{From: "20110301", To: "20110310"}}, Interrupted: true},
		{PID: 8, Command: "pltv run --from 20110305 --to 20110306", Ranges: []local.DateRange{{From: "20110305", To: "20110306"}}, Interrupted: true},
	}
	for date, want := range map[string]string{
		"20110302": "run `pltv backfill --from 20110301 --to 20110310` to finish the date",
		"20110305": "`pltv run --from 20110305 --to 20110306` (PID 8, ",
		"20110311": "",
	} {
		got := local.Interruption(journal, date)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("Interruption of %s = %q, want %q in it", date, got, want)
		}
	}
}
