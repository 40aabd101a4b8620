package emulator

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// TestPubSubStartStop starts the real Pub/Sub emulator, checks that it answers, and that Stop ends gcloud and
// the JVM it spawned.
func TestPubSubStartStop(t *testing.T) {
	if _, err := exec.LookPath(gcloud); err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("gcloud required (%s=1): %v", RequireEnv, err)
		}
		t.Skipf("skipping: %v", err)
	}
	e, err := Start(context.Background(), PubSub)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	resp, err := http.Get("http://" + e.Host + "/")
	if err != nil {
		e.Stop()
		t.Fatalf("emulator does not answer: %v", err)
	}
	resp.Body.Close()
	if !strings.Contains(e.Output(), "pubsub") {
		t.Errorf("output does not look like the Pub/Sub emulator's:\n%s", e.Output())
	}
	e.Stop()
	if groupAlive(e.PGID()) {
		t.Errorf("process group %d still alive after Stop", e.PGID())
	}
	if _, err := http.Get("http://" + e.Host + "/"); err == nil {
		t.Errorf("emulator still answers on %s after Stop", e.Host)
	}
}

// TestRequireShares checks that Require starts one emulator per kind and exports its host.
func TestRequireShares(t *testing.T) {
	if os.Getenv(PubSub.EnvVar) != "" {
		t.Skipf("%s is set: Require uses that emulator", PubSub.EnvVar)
	}
	host := Require(t, PubSub)
	if again := Require(t, PubSub); again != host {
		t.Errorf("second Require = %s, want the shared %s", again, host)
	}
	if got := os.Getenv(PubSub.EnvVar); got != host {
		t.Errorf("%s = %q, want %q", PubSub.EnvVar, got, host)
	}
}

func TestStartFailsFast(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "gcloud")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho 'ERROR: no such component' >&2\nexit 2\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		gcloud  string
		wantErr string
	}{
		{name: "no gcloud", gcloud: filepath.Join(dir, "missing"), wantErr: ErrNoGcloud.Error()},
		{name: "gcloud exits", gcloud: script, wantErr: "no such component"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setGcloud(t, tc.gcloud)
			_, err := Start(context.Background(), Kind{Name: "fake", Args: []string{"emulators", "fake", "start"}})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Start error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestRequireUnavailable(t *testing.T) {
	tests := []struct {
		name     string
		require  string
		wantSkip bool
		wantFail bool
	}{
		{name: "skips by default", require: "", wantSkip: true},
		{name: "fails when required", require: "1", wantFail: true},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setGcloud(t, filepath.Join(t.TempDir(), "missing"))
			t.Setenv(RequireEnv, tc.require)
			k := Kind{Name: fmt.Sprintf("fake%d", i), EnvVar: fmt.Sprintf("PLTV_FAKE%d_EMULATOR_HOST", i)}
			rec := run(t, func(tb testing.TB) { Require(tb, k) })
			if rec.skipped != tc.wantSkip || rec.failed != tc.wantFail {
				t.Errorf("skipped, failed = %v, %v, want %v, %v (%s)", rec.skipped, rec.failed, tc.wantSkip, tc.wantFail, rec.msg)
			}
			if !strings.Contains(rec.msg, ErrNoGcloud.Error()) {
				t.Errorf("message %q does not say why", rec.msg)
			}
		})
	}
}

func TestRequireUsesEnvironment(t *testing.T) {
	setGcloud(t, filepath.Join(t.TempDir(), "missing"))
	k := Kind{Name: "preset", EnvVar: "PLTV_PRESET_EMULATOR_HOST"}
	t.Setenv(k.EnvVar, "127.0.0.1:1")
	if got := Require(t, k); got != "127.0.0.1:1" {
		t.Errorf("Require = %q, want the host from %s", got, k.EnvVar)
	}
}

// TestWatchdogEndsGroup checks that the process group dies with its lifeline, as it does when the test
// process dies without stopping it.
func TestWatchdogEndsGroup(t *testing.T) {
	cmd, lifeline, err := startGroup("sh", []string{"-c", "sleep 600 & sleep 600"}, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	pgid := cmd.Process.Pid
	if !groupAlive(pgid) {
		t.Fatal("group not running")
	}
	lifeline.Close()
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatal("command still running 30s after its lifeline closed")
	}
	deadline := time.Now().Add(30 * time.Second)
	for groupAlive(pgid) {
		if time.Now().After(deadline) {
			t.Fatalf("process group %d still alive", pgid)
		}
		runtime.Gosched()
	}
}

func setGcloud(t *testing.T, path string) {
	old := gcloud
	gcloud = path
	t.Cleanup(func() { gcloud = old })
}

// recorder is a testing.TB that records a skip or a failure instead of ending the test.
type recorder struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls fn with a recorder on its own goroutine, so Skipf and Fatalf can end it.
func run(t *testing.T, fn func(testing.TB)) *recorder {
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(rec)
	}()
	<-done
	return rec
}
