package faults_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
)

// backfill runs the range once with the faults of env and returns its figures.
func backfill(t *testing.T, state string, env ...string) result {
	t.Helper()
	start := time.Now()
	out := run(t, state, env, "backfill", "--from", from, "--to", to)
	return result{wall: time.Since(start), steps: steps(out), deploys: deploys(out), injected: injected(out)}
}

func TestFaultEveryEventTwice(t *testing.T) {
	state := newState(t)
	r := backfill(t, state, "PLTV_TEST_FAULTS=duplicate=1,seed=1")
	equalClean(t, state, r)
	statusAllDone(t, state)
}

func TestFaultEventsReordered(t *testing.T) {
	state := newState(t)
	r := backfill(t, state, "PLTV_TEST_FAULTS=reorder=8,seed=2")
	equalClean(t, state, r)
	statusAllDone(t, state)
}

func TestFaultServicesUnavailableOnce(t *testing.T) {
	state := newState(t)
	r := backfill(t, state, "PLTV_TEST_FAULTS=unavailable=0.1,seed=3")
	equalClean(t, state, r)
	statusAllDone(t, state)
}

// TestFaultLaterRangeFirst backfills the second half of the range, then the first: the later dates' filters
// prepare the earlier days of their window first, so no returning customer is taken for a new one.
func TestFaultLaterRangeFirst(t *testing.T) {
	state := newState(t)
	start := time.Now()
	a := run(t, state, nil, "backfill", "--from", "20101206", "--to", to)
	b := run(t, state, nil, "backfill", "--from", from, "--to", "20101205")
	equalClean(t, state, result{wall: time.Since(start), steps: steps(a) + steps(b)})
	statusAllDone(t, state)
}

// TestFaultKillAndRerun kills a backfill with SIGKILL at points spread over its run, reruns the backfill, and
// compares each trial with the clean run. A point is a line of the backfill's log (-v logs every step: each
// extract, prepare, filter, workflow, deploy, batch and stop), so the points fall on the steps of the run
// whatever the machine's speed. PLTV_KILL_TRIALS sets how many points (4 by default).
func TestFaultKillAndRerun(t *testing.T) {
	trials := 4
	if n, err := strconv.Atoi(os.Getenv("PLTV_KILL_TRIALS")); err == nil && n > 0 {
		trials = n
	}
	equal, interrupted := 0, 0
	for i := range trials {
		k := killLine(i, trials, clean.logLines)
		t.Run(fmt.Sprintf("after log line %d of %d", k, clean.logLines), func(t *testing.T) {
			state := newState(t)
			start := time.Now()
			line, killed := killAfter(t, command(state, nil, "backfill", "--from", from, "--to", to, "-v"), k)
			if killed {
				t.Logf("killed after: %s", line)
			} else {
				t.Logf("the backfill ended before log line %d", k)
			}
			interrupted += statusNamesTheKill(t, state)
			out := run(t, state, nil, "backfill", "--from", from, "--to", to)
			if !equalClean(t, state, result{wall: time.Since(start), steps: steps(out)}) {
				return
			}
			equal++
			statusAllDone(t, state)
		})
	}
	t.Logf("figures: kill-and-rerun trials %d, equal to clean %d; status named %d dates unfinished after the kills",
		trials, equal, interrupted)
}

// killLine is the i-th of n log lines to kill a backfill after, out of the clean run's lines: spread over
// them, a little off the grid each time.
func killLine(i, n, lines int) int {
	at := (float64(i) + 0.5 + 0.3*float64(i%3-1)/3) / float64(n)
	return 1 + int(float64(max(lines-1, 0))*at)
}

// killAfter starts cmd, kills it with SIGKILL as soon as it has logged k lines, and returns the last line
// read; killed is false when cmd ended before.
func killAfter(t *testing.T, cmd *exec.Cmd, k int) (line string, killed bool) {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 0; n < k && sc.Scan(); {
		if strings.Contains(sc.Text(), "level=") {
			n++
			line, killed = sc.Text(), n == k
		}
	}
	if killed {
		cmd.Process.Signal(syscall.SIGKILL)
	}
	io.Copy(io.Discard, stderr)
	cmd.Wait()
	return line, killed
}

// TestFaultOverlappingBackfills runs two overlapping backfills at once through one `pltv serve`.
func TestFaultOverlappingBackfills(t *testing.T) {
	state := newState(t)
	serve := command(state, nil, "serve")
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		serve.Process.Signal(syscall.SIGINT)
		serve.Wait()
	}()
	waitServing(t, state)
	start := time.Now()
	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	for i, r := range [][2]string{{from, "20101207"}, {"20101204", to}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := command(state, nil, "backfill", "--from", r[0], "--to", r[1]).CombinedOutput()
			if err != nil {
				t.Errorf("backfill %v: %v\n%s", r, err, out)
			}
			outs[i] = out
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	serve.Process.Signal(syscall.SIGINT)
	serve.Wait()
	// Both summaries read the meter of the serving process, which counts every deployment since it started:
	// one deployment means the model was never undeployed while a date still had batches to predict (a
	// batch finding it undeployed redeploys it).
	n := max(deploys(outs[0]), deploys(outs[1]))
	t.Logf("figures: model deployments %d for both backfills", n)
	if n != 1 {
		t.Errorf("%d model deployments for two overlapping backfills, want 1", n)
	}
	equalClean(t, state, result{wall: wall, steps: steps(outs[0]) + steps(outs[1])})
}

// TestFaultDeployFailsOnce fails the first deployment of the model, as a Vertex AI DeployModel operation
// ending in error does: the daily workflow that polled it deploys it again, and no date fails.
func TestFaultDeployFailsOnce(t *testing.T) {
	state := newState(t)
	r := backfill(t, state, "PLTV_TEST_FAULTS=deployfail=1")
	t.Logf("figures: model deployments %d (clean %d), failed deployments injected %d", r.deploys, clean.deploys, r.injected)
	if r.injected != 1 {
		t.Errorf("%d failed deployments injected, want 1", r.injected)
	}
	if r.deploys != clean.deploys+1 {
		t.Errorf("%d model deployments, want the clean run's %d and the failed one", r.deploys, clean.deploys)
	}
	equalClean(t, state, r)
	statusAllDone(t, state)
}

// TestFaultModelThrottles answers every prediction RESOURCE_EXHAUSTED (HTTP 429) for the first seconds of
// predicting: the predict service's backoff waits it out.
func TestFaultModelThrottles(t *testing.T) {
	state := newState(t)
	r := backfill(t, state, "PLTV_TEST_FAULTS=throttle=3s")
	t.Logf("figures: predictions answered 429 and retried %d", r.injected)
	if r.injected == 0 {
		t.Error("no prediction was answered 429")
	}
	equalClean(t, state, r)
	statusAllDone(t, state)
}

// TestFaultPredictKilledMidBatch kills the process, which runs the predict service, with SIGKILL while a
// batch is being predicted (the model hangs on a prediction and says so), then reruns the backfill: the
// batches of the killed process are neither lost nor written twice.
func TestFaultPredictKilledMidBatch(t *testing.T) {
	state := newState(t)
	signal := filepath.Join(t.TempDir(), "predicting")
	start := time.Now()
	cmd := command(state, []string{"PLTV_TEST_FAULTS=hangpredict=3,signal=" + signal}, "backfill", "--from", from, "--to", to)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(signal); err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the backfill ended (%v) before the model was asked for a third prediction", err)
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Signal(syscall.SIGKILL)
			t.Fatal("no prediction hung within a minute")
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	out := run(t, state, nil, "backfill", "--from", from, "--to", to)
	if !equalClean(t, state, result{wall: time.Since(start), steps: steps(out)}) {
		return
	}
	statusAllDone(t, state)
}

// TestFaultPrepareFailsForOneDate refuses every query preparing one date, as BigQuery refuses a query it
// cannot run: the backfill fails that date, and `pltv status` says why, and names it as what the later dates
// whose filter window holds it wait for (a filter does not run on a window with a day missing). A rerun of
// just that date completes it and, once it is prepared, the dates that waited for it: the whole range then
// equals a clean run.
func TestFaultPrepareFailsForOneDate(t *testing.T) {
	const bad = "20101204"
	state := newState(t)
	start := time.Now()
	out, err := command(state, []string{"PLTV_TEST_FAULTS=preparefail=" + bad}, "backfill", "--from", from, "--to", to).CombinedOutput()
	if err == nil {
		t.Fatalf("the backfill with a failing prepare exited 0:\n%s", out)
	}
	total := steps(out)
	for _, d := range status(t, state) {
		switch {
		case d.Date == bad:
			if d.State != local.DateFailed || !strings.Contains(d.Reason, "injected fault") {
				t.Errorf("status of %s: %s (%s), want failed with the prepare's reason", d.Date, d.State, d.Reason)
			}
		case d.Date > bad && d.State == local.DatePending:
			if !strings.Contains(d.Reason, bad+" failed") {
				t.Errorf("status of %s: pending (%s), want the failed %s named", d.Date, d.Reason, bad)
			}
		case d.State != local.DateDone && d.State != local.DateSkipped:
			t.Errorf("status of %s: %s (%s), want done", d.Date, d.State, d.Reason)
		}
	}
	out = run(t, state, nil, "backfill", "--from", bad, "--to", bad)
	total += steps(out)
	if !bytes.Contains(out, []byte("recomputed:")) {
		t.Errorf("the rerun of %s does not say it completed the dates that waited for it:\n%s", bad, out)
	}
	equalClean(t, state, result{wall: time.Since(start), steps: total})
	statusAllDone(t, state)
}

// TestFaultSourceDayLoadedLate backfills the range with one source day missing, then loads it and prepares
// its date alone: the filters of the later dates read a window without it, so `pltv status` names them
// stale with the day that changed, and a backfill of that date recomputes them; the range then equals a
// clean run.
func TestFaultSourceDayLoadedLate(t *testing.T) {
	const late = "20101204" // its data day, 2010-12-03, comes late
	state := filepath.Join(t.TempDir(), "state")
	start := time.Now()
	run(t, state, nil, "init", "--source", partial)
	out := run(t, state, nil, "backfill", "--from", from, "--to", to)
	total := steps(out)
	run(t, state, nil, "init", "--source", source)
	run(t, state, nil, "run", "--from", late, "--to", late, "--stages", "extract,prepare")
	stale := 0
	for _, d := range status(t, state) {
		if d.State == local.DateStale {
			stale++
			if !strings.Contains(d.Reason, late) {
				t.Errorf("status of %s: stale (%s), want the changed day %s named", d.Date, d.Reason, late)
			}
		}
	}
	if stale == 0 {
		t.Error("no date is stale after a day of the filters' windows was prepared late")
	}
	out = run(t, state, nil, "backfill", "--from", late, "--to", late)
	total += steps(out)
	t.Logf("figures: stale dates %d, recomputed by the backfill of %s", stale, late)
	equalClean(t, state, result{wall: time.Since(start), steps: total})
	statusAllDone(t, state)
}

// statusNamesTheKill checks `pltv status` after a killed backfill: it lists every date of the range, and
// names each date the backfill left unfinished as interrupted by it, so that rerunning it is the way out (or
// stale, because its filter was interrupted before it recorded what it read). It returns how many it named.
func statusNamesTheKill(t *testing.T, state string) int {
	t.Helper()
	want, err := pipeline.Dates(from, to)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	unfinished := 0
	for _, d := range status(t, state) {
		got = append(got, d.Date)
		switch d.State {
		case local.DateDone, local.DateSkipped:
		case local.DatePending:
			unfinished++
			if !strings.HasPrefix(d.Reason, "interrupted: `") || !strings.Contains(d.Reason, "backfill --from "+from+" --to "+to) {
				t.Errorf("status of %s after the kill: pending (%s), want it interrupted by the backfill", d.Date, d.Reason)
			}
		case local.DateStale:
			unfinished++
			if !strings.Contains(d.Reason, "interrupted") {
				t.Errorf("status of %s after the kill: stale (%s), want its filter interrupted", d.Date, d.Reason)
			}
		default:
			t.Errorf("status of %s after the kill: %s (%s), want done, skipped or interrupted", d.Date, d.State, d.Reason)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("status after the kill lists %v, want every date of %s..%s", got, from, to)
	}
	t.Logf("status after the kill: %d of %d dates unfinished", unfinished, len(want))
	return unfinished
}

// status is `pltv status --json` of the state.
func status(t *testing.T, state string) []local.DateStatus {
	t.Helper()
	var dates []local.DateStatus
	if err := json.Unmarshal(run(t, state, nil, "status", "--json"), &dates); err != nil {
		t.Fatal(err)
	}
	return dates
}
