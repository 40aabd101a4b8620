package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows/engine"
)

func TestSys(t *testing.T) {
	opts := func() engine.Options {
		return engine.Options{
			Env:         map[string]string{"STAGE": "test"},
			ProjectID:   "my-project",
			WorkflowID:  "daily",
			ExecutionID: "exec-1",
		}
	}
	runCases(t, []runCase{
		{name: "sys.now follows the clock and sys.sleep advances it", src: `
- before:
    assign:
      - t0: ${sys.now()}
- nap:
    call: sys.sleep
    args:
      seconds: 1800
- after:
    return: ${[time.format(t0), sys.now() - t0]}
`, want: `["2024-07-12T12:00:00.000000Z",1800.0]`},
		{name: "sys.sleep_until", src: `
- wait:
    call: sys.sleep_until
    args:
      time: "2024-07-12T13:30:00Z"
- after:
    return: ${time.format(sys.now())}
`, want: `"2024-07-12T13:30:00.000000Z"`},
		{name: "sys.sleep_until a past time returns at once", src: `
- wait:
    call: sys.sleep_until
    args:
      time: "2020-01-01T00:00:00Z"
- after:
    return: ${time.format(sys.now())}
`, want: `"2024-07-12T12:00:00.000000Z"`},
		{name: "built-in and user environment variables", src: `
- r:
    return:
      project: ${sys.get_env("GOOGLE_CLOUD_PROJECT_ID")}
      workflow: ${sys.get_env("GOOGLE_CLOUD_WORKFLOW_ID")}
      execution: ${sys.get_env("GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID")}
      stage: ${sys.get_env("STAGE")}
      missing: ${sys.get_env("NOPE")}
      defaulted: ${sys.get_env("NOPE", "fallback")}
`, want: `{"defaulted":"fallback","execution":"exec-1","missing":null,"project":"my-project","stage":"test","workflow":"daily"}`},
		{name: "a negative sleep is a ValueError", src: `
- nap:
    call: sys.sleep
    args:
      seconds: -1
`, tags: []string{"ValueError"}, step: "nap"},
		{name: "sleeping more than a year is a ValueError", src: `
- nap:
    call: sys.sleep
    args:
      seconds: 31536001
`, tags: []string{"ValueError"}, step: "nap"},
		{name: "sys.log needs exactly one payload", src: `
- log:
    call: sys.log
    args:
      text: a
      data: b
`, tags: []string{"TypeError"}, step: "log"},
	}, opts)
}

// TestSleepTakesNoWallTime runs a day of sleeps on the fake clock.
func TestSleepTakesNoWallTime(t *testing.T) {
	src := `
- loop:
    for:
      value: i
      range: [1, 48]
      steps:
        - nap:
            call: sys.sleep
            args:
              seconds: 1800
- r:
    return: ${time.format(sys.now())}
`
	clock := engine.NewFakeClock(testStart)
	began := time.Now()
	got, stats, err := engine.Run(context.Background(), []byte(src), nil, engine.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if got != "2024-07-13T12:00:00.000000Z" {
		t.Errorf("result = %v, want a day later", got)
	}
	if wall := time.Since(began); wall > 5*time.Second {
		t.Errorf("a day of sleeps took %v of wall time", wall)
	}
	if diff := cmp.Diff(24*time.Hour, stats.End.Sub(stats.Start)); diff != "" {
		t.Errorf("execution duration by the clock (-want +got):\n%s", diff)
	}
}

// TestParallelSleepsOverlap checks that branches sleep side by side on the fake clock: the parallel step
// takes as long as its longest branch, and each branch sees its own time.
func TestParallelSleepsOverlap(t *testing.T) {
	src := `
- init:
    assign:
      - t0: ${sys.now()}
      - seen: {}
- par:
    parallel:
      shared: [seen]
      for:
        value: minutes
        in: [1, 3, 2]
        steps:
          - nap:
              call: sys.sleep
              args:
                seconds: ${minutes * 60}
          - note:
              assign:
                - seen[string(minutes)]: ${(sys.now() - t0) / 60}
- after:
    return: '${ {"seen": seen, "total": (sys.now() - t0) / 60} }'
`
	clock := engine.NewFakeClock(testStart)
	checkRun(t, runCase{src: src, want: `{"seen":{"1":1.0,"2":2.0,"3":3.0},"total":3.0}`}, engine.Options{Clock: clock})
	if got := clock.Slept(); got != 6*time.Minute {
		t.Errorf("Slept() = %v, want the 6 minutes the branches slept in all", got)
	}
}

func TestSysLog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	src := `
- text:
    call: sys.log
    args:
      text: hello
      severity: WARNING
- data:
    call: sys.log
    args:
      data: '${ {"n": 1} }'
- number:
    call: sys.log
    args:
      data: 42
      severity: DEBUG
`
	_, _, err := engine.Run(context.Background(), []byte(src), nil, engine.Options{Logger: logger, WorkflowID: "wf", ExecutionID: "e1"})
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		delete(entry, "time")
		if entry["msg"] == "step" && entry["severity"] == nil {
			continue // the engine's own trace of each step, at debug level
		}
		got = append(got, entry)
	}
	base := func(level, severity, step, msg string) map[string]any {
		return map[string]any{"level": level, "severity": severity, "msg": msg, "step": step,
			"subworkflow": "main", "workflow": "wf", "execution": "e1"}
	}
	withJSON := base("INFO", "DEFAULT", "data", "")
	withJSON["json"] = map[string]any{"n": float64(1)}
	want := []map[string]any{base("WARN", "WARNING", "text", "hello"), withJSON, base("DEBUG", "DEBUG", "number", "42")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log entries mismatch (-want +got):\n%s", diff)
	}
}

func TestReservedEnvironmentNames(t *testing.T) {
	_, _, err := engine.Run(context.Background(), []byte("- r:\n    return: 1\n"), nil,
		engine.Options{Env: map[string]string{"GOOGLE_CLOUD_PROJECT_ID": "x"}})
	if err == nil || !strings.Contains(err.Error(), "GOOGLE_") {
		t.Errorf("Run() error = %v, want a refusal of the reserved name", err)
	}
}
