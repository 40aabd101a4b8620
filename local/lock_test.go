package local_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/local"
)

func TestASecondCommandOnAStateIsRefusedWithTheHolder(t *testing.T) {
	dir := t.TempDir()
	rt, err := local.Open(context.Background(), config.Default(), local.Options{StateDir: dir, Command: "pltv backfill --from 20110301"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = local.Open(context.Background(), config.Default(), local.Options{StateDir: dir, Command: "pltv run"})
	var busy *local.BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("second open: got %v, want a BusyError", err)
	}
	if busy.Holder.PID != os.Getpid() || busy.Holder.Command != "pltv backfill --from 20110301" {
		t.Errorf("holder = %+v, want this process and the first command", busy.Holder)
	}
	for _, want := range []string{"PID", "pltv backfill --from 20110301"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if _, ok := local.ServingURL(dir); ok {
		t.Error("a state held by a command that serves nothing has a serving URL")
	}
	if err := rt.Lock.SetURL("http://127.0.0.1:1"); err != nil {
		t.Fatal(err)
	}
	if url, ok := local.ServingURL(dir); !ok || url != "http://127.0.0.1:1" {
		t.Errorf("ServingURL = %q, %v; want the URL the holder set", url, ok)
	}
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := local.ServingURL(dir); ok {
		t.Error("a released state still has a serving URL")
	}
	again, err := local.Open(context.Background(), config.Default(), local.Options{StateDir: dir})
	if err != nil {
		t.Fatalf("open after the holder closed: %v", err)
	}
	again.Close()
}
