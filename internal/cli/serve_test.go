package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pltv/pltv/local"
)

// execute runs a command line and returns its output.
func execute(t *testing.T, ctx context.Context, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Execute(ctx, args, &out, &errOut)
	return out.String(), err
}

// initState writes synthetic day files and loads them into a new state.
func initState(t *testing.T, days int) string {
	t.Helper()
	dir := t.TempDir()
	state, src := filepath.Join(dir, "state"), filepath.Join(dir, "src")
	if out, err := execute(t, context.Background(), "generate", "--customers", "300", "--days", strconv.Itoa(days), "--out", src, "-q"); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	if out, err := execute(t, context.Background(), "init", "--state", state, "--source", src); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	return state
}

// statusOf is what status --json says of from..to.
func statusOf(t *testing.T, state, from, to string) []local.DateStatus {
	t.Helper()
	out, err := execute(t, context.Background(), "status", "--state", state, "--from", from, "--to", to, "--json")
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	var st []local.DateStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	return st
}

func TestServeIsTheSingleWriterOtherCommandsGoThrough(t *testing.T) {
	state := initState(t, 10)
	// The daily extract 45 minutes from now in the runtime's time (600 times the wall clock's: 4.5 s).
	at := time.Now().UTC().Add(45 * time.Minute) // the state's clock may start some minutes ahead
	t.Setenv("TIMEZONE", "UTC")
	t.Setenv("DATA_SOURCE_DAILY_TX_POLLER_CONFIG", fmt.Sprintf("%d %d * * *", at.Minute(), at.Hour()))
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		_, err := execute(t, ctx, "serve", "--state", state)
		served <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, ok := local.ServingURL(state); ok {
			break
		}
		select {
		case err := <-served:
			t.Fatalf("pltv serve: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("pltv serve did not record its URL in the state's lock")
		}
		time.Sleep(20 * time.Millisecond)
	}

	if _, err := execute(t, context.Background(), "backfill", "--state", state, "--from", "20101202", "--to", "20101204"); err != nil {
		t.Fatalf("backfill through serve: %v", err)
	}
	out, err := execute(t, context.Background(), "status", "--state", state, "--json")
	if err != nil {
		t.Fatalf("status through serve: %v", err)
	}
	if !strings.Contains(out, `"20101203"`) {
		t.Errorf("status through serve does not show the backfilled dates:\n%s", out)
	}
	for _, args := range [][]string{{"tables", "ls"}, {"tracking", "ls"}, {"executions", "list"}} {
		if _, err := execute(t, context.Background(), append(args, "--state", state)...); err != nil {
			t.Errorf("%s through serve: %v", strings.Join(args, " "), err)
		}
	}
	// The scheduled extract ran for today (in the runtime's time): a date with no source data, skipped.
	today := false
	for deadline := time.Now().Add(20 * time.Second); !today && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		out, err := execute(t, context.Background(), "status", "--state", state, "--json")
		if err != nil {
			t.Fatal(err)
		}
		var st []local.DateStatus
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatal(err)
		}
		for _, d := range st {
			today = today || (d.Date > "2020" && d.State == local.DateSkipped)
		}
	}
	if !today {
		t.Error("pltv serve ran no scheduled daily extract")
	}
	url, _ := local.ServingURL(state)
	resp, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), `id="per-day"`) || !strings.Contains(string(page), "20101203") {
		t.Errorf("GET / on pltv serve: %s, want the live report with the backfilled dates", resp.Status)
	}
	_, err = execute(t, context.Background(), "run", "--state", state, "--from", "20101202")
	if err == nil || !strings.Contains(err.Error(), "PID") || !strings.Contains(err.Error(), "pltv serve") {
		t.Errorf("run while serve holds the state: got %v, want a refusal naming the holder", err)
	}

	stop()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, ok := local.ServingURL(state); ok {
		t.Error("the state still names a server after it stopped")
	}
}
