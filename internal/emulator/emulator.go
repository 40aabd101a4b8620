// Package emulator starts Google's local emulators (Firestore, Pub/Sub) through gcloud for tests, waits
// until they answer, and stops them with all their processes.
//
// A test package shares one emulator of each kind: its TestMain calls Main, and each test that needs an
// emulator calls Require, which starts it on first use (unless its *_EMULATOR_HOST variable already points to
// one), sets that variable for the client libraries, and skips the test with a message when gcloud is
// missing or the emulator does not start; with PLTV_REQUIRE_EMULATORS=1 that is a failure instead. Tests
// isolate their data themselves (e.g. by a unique collection prefix).
//
// gcloud runs in a process group of its own with the JVM it spawns; Stop ends the group, and so does the
// death of the test process (a timeout, a signal), through a watchdog reading a pipe only the test process
// holds open.
package emulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Kind is one emulator gcloud can start.
type Kind struct {
	Name   string   // for messages
	EnvVar string   // where client libraries look for its host:port
	Args   []string // gcloud's arguments, without --host-port
}

// The emulators pltv's tests use.
var (
	Firestore = Kind{Name: "firestore", EnvVar: "FIRESTORE_EMULATOR_HOST",
		Args: []string{"emulators", "firestore", "start"}}
	PubSub = Kind{Name: "pubsub", EnvVar: "PUBSUB_EMULATOR_HOST",
		Args: []string{"beta", "emulators", "pubsub", "start"}}
)

// ErrNoGcloud means gcloud is not installed, so no emulator can start.
var ErrNoGcloud = errors.New("gcloud not found on PATH")

// gcloud is the command Start runs; tests replace it.
var gcloud = "gcloud"

// StartTimeout bounds how long Start waits for an emulator to answer (it needs a JVM).
const StartTimeout = 90 * time.Second

// Emulator is one running emulator.
type Emulator struct {
	Kind Kind
	Host string // 127.0.0.1:port

	cmd      *exec.Cmd
	lifeline *os.File // while open, the emulator lives; see watchdog
	out      *syncBuffer
	exited   chan struct{} // closed when gcloud exits
	err      error         // gcloud's exit status, once exited is closed
	stop     sync.Once
}

// Start starts an emulator on a free loopback port and returns once it answers HTTP on it.
func Start(ctx context.Context, k Kind) (*Emulator, error) {
	path, err := exec.LookPath(gcloud)
	if err != nil {
		return nil, fmt.Errorf("start %s emulator: %w", k.Name, ErrNoGcloud)
	}
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("start %s emulator: %w", k.Name, err)
	}
	e := &Emulator{Kind: k, Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		out: &syncBuffer{}, exited: make(chan struct{})}
	args := append(append([]string{"--quiet"}, k.Args...), "--host-port="+e.Host)
	e.cmd, e.lifeline, err = startGroup(path, args, e.out)
	if err != nil {
		return nil, fmt.Errorf("start %s emulator: %w", k.Name, err)
	}
	go func() {
		e.err = e.cmd.Wait()
		close(e.exited)
	}()
	ctx, cancel := context.WithTimeout(ctx, StartTimeout)
	defer cancel()
	if err := e.waitReady(ctx); err != nil {
		e.Stop()
		return nil, fmt.Errorf("start %s emulator on %s: %w\n%s", k.Name, e.Host, err, e.out.String())
	}
	return e, nil
}

// waitReady polls the emulator's HTTP port until it answers 200.
func (e *Emulator) waitReady(ctx context.Context) error {
	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+e.Host+"/", nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-e.exited:
			return fmt.Errorf("gcloud exited: %v", e.err)
		case <-ctx.Done():
			return fmt.Errorf("no answer: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

// watchdog runs a command (gcloud) in a shell that also reads fd 3, the read end of a pipe whose write end
// only the test process holds: when that process dies, however it dies (a test timeout, a signal), the read
// ends and the whole process group, gcloud and the JVM it spawned, is sent SIGTERM.
const watchdog = `(read -r _ <&3; kill -TERM 0) >/dev/null 2>&1 & exec "$@" 3<&-`

// startGroup starts name with args in a process group of its own under the watchdog. Closing the returned
// lifeline (or exiting) ends the group.
func startGroup(name string, args []string, out io.Writer) (*exec.Cmd, *os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	cmd := exec.Command("/bin/sh", append([]string{"-c", watchdog, "sh", name}, args...)...)
	cmd.Env = append(os.Environ(), "CLOUDSDK_CORE_DISABLE_PROMPTS=1")
	cmd.Stdout, cmd.Stderr = out, out
	cmd.ExtraFiles = []*os.File{r} // fd 3
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, nil, err
	}
	return cmd, w, nil
}

// Stop ends the emulator's whole process group: SIGTERM, then SIGKILL for what is left after a grace period.
func (e *Emulator) Stop() {
	e.stop.Do(func() {
		defer e.lifeline.Close()
		pgid := e.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		deadline := time.Now().Add(10 * time.Second)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for groupAlive(pgid) && time.Now().Before(deadline) {
			<-tick.C
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-e.exited
	})
}

// Output returns what the emulator printed so far.
func (e *Emulator) Output() string { return e.out.String() }

// PGID returns the emulator's process group.
func (e *Emulator) PGID() int { return e.cmd.Process.Pid }

// groupAlive reports whether any process of the group is left (zombies of exited children count until
// reaped; gcloud's own is reaped by Wait).
func groupAlive(pgid int) bool { return syscall.Kill(-pgid, 0) == nil }

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer collects the emulator's output from its writer goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
