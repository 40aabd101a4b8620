// Package executionstest is the conformance suite that every executions driver runs.
package executionstest

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/executions"
)

// Workflows are the workflows the suite starts; a driver under test must run them under these names.
var Workflows = map[string]string{
	"echo": `
main:
  params: [args]
  steps:
    - r:
        return: ${args}
`,
	"fail": `
main:
  params: [args]
  steps:
    - check:
        raise:
          code: 3
          message: bad input
`,
	"count": `
main:
  params: [n]
  steps:
    - init:
        assign:
          - total: 0
    - loop:
        for:
          value: v
          range: ${[1, n]}
          steps:
            - add:
                assign:
                  - total: ${total + v}
    - r:
        return: ${total}
`,
}

// Features says what a driver can do beyond the port's contract.
type Features struct {
	Steps        bool // it reports billed steps
	ErrorContext bool // it reports a stack trace with errors
}

// Run runs the suite. newDriver returns a driver, fresh for each test, that runs Workflows.
func Run(t *testing.T, newDriver func(t *testing.T) executions.Executions, f Features) {
	t.Run("StartThenWaitSucceeds", func(t *testing.T) { testSucceeds(t, newDriver(t), f) })
	t.Run("UncaughtErrorFails", func(t *testing.T) { testFails(t, newDriver(t), f) })
	t.Run("GetUnknown", func(t *testing.T) { testGetUnknown(t, newDriver(t)) })
	t.Run("ListNewestFirst", func(t *testing.T) { testList(t, newDriver(t)) })
}

func wait(t *testing.T, x executions.Executions, id string) executions.Execution {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e, err := executions.Wait(ctx, x, id, 5*time.Millisecond)
	if err != nil {
		t.Fatalf("Wait(%s): %v", id, err)
	}
	return e
}

// sameJSON compares two JSON texts by value.
func sameJSON(t *testing.T, what, want, got string) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: want %q is not JSON: %v", what, want, err)
	}
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: got %q is not JSON: %v", what, got, err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
	}
}

func testSucceeds(t *testing.T, x executions.Executions, f Features) {
	ctx := context.Background()
	arg := map[string]any{"from": "20200701", "to": "20200731", "n": 1.5}
	started, err := x.Start(ctx, "echo", arg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if started.ID == "" || started.Workflow != "echo" || started.State != executions.StateActive {
		t.Errorf("Start returned %+v, want an ACTIVE echo execution with an ID", started)
	}
	e := wait(t, x, started.ID)
	if e.State != executions.StateSucceeded || e.Error != nil {
		t.Fatalf("execution ended %s (%+v), want SUCCEEDED", e.State, e.Error)
	}
	want := `{"from": "20200701", "to": "20200731", "n": 1.5}`
	sameJSON(t, "argument", want, e.Argument)
	sameJSON(t, "result", want, e.Result)
	if e.ID != started.ID || e.Workflow != "echo" {
		t.Errorf("Get returned ID %q workflow %q, want %q echo", e.ID, e.Workflow, started.ID)
	}
	if e.StartTime.IsZero() || e.EndTime.Before(e.StartTime) {
		t.Errorf("start %v, end %v: want a start, and an end not before it", e.StartTime, e.EndTime)
	}
	if f.Steps {
		counted, err := x.Start(ctx, "count", 10)
		if err != nil {
			t.Fatalf("Start count: %v", err)
		}
		c := wait(t, x, counted.ID)
		sameJSON(t, "count result", "55", c.Result)
		if c.Steps != 13 { // init, loop, 10 iterations, return
			t.Errorf("count billed %d steps, want 13", c.Steps)
		}
	}
}

func testFails(t *testing.T, x executions.Executions, f Features) {
	started, err := x.Start(context.Background(), "fail", nil)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	e := wait(t, x, started.ID)
	if e.State != executions.StateFailed || e.Error == nil {
		t.Fatalf("execution ended %s with error %+v, want FAILED with an error", e.State, e.Error)
	}
	sameJSON(t, "error payload", `{"code": 3, "message": "bad input"}`, e.Error.Payload)
	if e.Result != "" {
		t.Errorf("a failed execution has result %q", e.Result)
	}
	if f.ErrorContext && e.Error.Context == "" {
		t.Errorf("error context is empty")
	}
}

func testGetUnknown(t *testing.T, x executions.Executions) {
	if _, err := x.Get(context.Background(), "no-such-execution"); !errors.Is(err, executions.ErrNotFound) {
		t.Errorf("Get(unknown) error = %v, want ErrNotFound", err)
	}
}

func testList(t *testing.T, x executions.Executions) {
	ctx := context.Background()
	var ids []string
	for i := range 3 {
		e, err := x.Start(ctx, "echo", i)
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		ids = append(ids, e.ID)
		wait(t, x, e.ID)
	}
	other, err := x.Start(ctx, "count", 1)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	wait(t, x, other.ID)
	list, err := x.List(ctx, "echo")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.ID)
		if e.Workflow != "echo" || e.State != executions.StateSucceeded {
			t.Errorf("listed %s %s %s, want SUCCEEDED echo executions only", e.ID, e.Workflow, e.State)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(ids)))
	want := append([]string(nil), ids...)
	sort.Sort(sort.Reverse(sort.StringSlice(got)))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("listed executions mismatch (-want +got):\n%s", diff)
	}
	for i := 1; i < len(list); i++ {
		if list[i].StartTime.After(list[i-1].StartTime) {
			t.Errorf("List is not newest first: %v then %v", list[i-1].StartTime, list[i].StartTime)
		}
	}
}
