// Package executions is the port through which pltv starts workflow runs and looks them up, like the
// Console's executions view: backfill starts one execution per date, `pltv executions list|describe` shows
// them.
//
// Drivers live in sub-packages: embedded runs workflows/*.yaml in the local engine and keeps the records
// under the state directory; cloudworkflows talks to the Workflows Executions API. Every driver passes the
// shared suite in executionstest.
package executions

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// State is the state of an execution, as the Executions API names it.
type State string

// States of an execution.
const (
	StateActive    State = "ACTIVE"
	StateSucceeded State = "SUCCEEDED"
	StateFailed    State = "FAILED"
	StateCancelled State = "CANCELLED"
)

// Done reports whether an execution in this state has ended.
func (s State) Done() bool { return s == StateSucceeded || s == StateFailed || s == StateCancelled }

// Execution is one run of a workflow.
type Execution struct {
	// ID identifies the execution for Get: a UUID for the embedded driver, the full resource name
	// (projects/P/locations/L/workflows/W/executions/E) for Cloud Workflows.
	ID       string `json:"id"`
	Workflow string `json:"workflow"`
	Argument string `json:"argument"` // JSON
	State    State  `json:"state"`
	Result   string `json:"result,omitempty"` // JSON, when SUCCEEDED
	Error    *Error `json:"error,omitempty"`  // when FAILED or CANCELLED
	// Steps is the number of billed steps, when the backend reports it (the embedded driver does).
	Steps     int64     `json:"steps,omitempty"`
	StartTime time.Time `json:"startTime"`
	EndTime   time.Time `json:"endTime,omitzero"`
}

// Duration is how long the execution ran, or has been running for an active one (as of now).
func (e Execution) Duration(now time.Time) time.Duration {
	if e.EndTime.IsZero() {
		return now.Sub(e.StartTime)
	}
	return e.EndTime.Sub(e.StartTime)
}

// Error says why an execution did not succeed.
type Error struct {
	Payload string `json:"payload"`           // the error map or raised value, as JSON
	Context string `json:"context,omitempty"` // a human-readable stack trace
}

// Executions starts and finds executions.
type Executions interface {
	// Start starts an execution of the named workflow with an argument (any JSON-encodable value, or a
	// json.RawMessage) and returns at once, the execution ACTIVE.
	Start(ctx context.Context, workflow string, argument any) (Execution, error)
	// Get returns an execution by its ID, or an error wrapping ErrNotFound.
	Get(ctx context.Context, id string) (Execution, error)
	// List returns the executions of a workflow, newest first.
	List(ctx context.Context, workflow string) ([]Execution, error)
}

// ActiveCounter is implemented by drivers that can count a workflow's running executions more cheaply
// than by listing them all.
type ActiveCounter interface {
	CountActive(ctx context.Context, workflow string) (int, error)
}

// CountActive counts the workflow's executions still running: through the driver's ActiveCounter when it
// has one, otherwise from List.
func CountActive(ctx context.Context, x Executions, workflow string) (int, error) {
	if c, ok := x.(ActiveCounter); ok {
		return c.CountActive(ctx, workflow)
	}
	list, err := x.List(ctx, workflow)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range list {
		if e.State == StateActive {
			n++
		}
	}
	return n, nil
}

// Waiter is implemented by drivers that can block until an execution ends without polling.
type Waiter interface {
	Wait(ctx context.Context, id string) (Execution, error)
}

// ErrNotFound is returned (wrapped) for an execution that does not exist.
var ErrNotFound = errors.New("execution not found")

// Wait returns the execution once it has ended: through the driver's Waiter when it has one, otherwise by
// polling Get every interval.
func Wait(ctx context.Context, x Executions, id string, interval time.Duration) (Execution, error) {
	if w, ok := x.(Waiter); ok {
		return w.Wait(ctx, id)
	}
	return Poll(ctx, x.Get, id, interval)
}

// Poll calls get every interval until the execution has ended.
func Poll(ctx context.Context, get func(context.Context, string) (Execution, error), id string, interval time.Duration) (Execution, error) {
	t := time.NewTicker(max(interval, time.Millisecond))
	defer t.Stop()
	for {
		e, err := get(ctx, id)
		if err != nil {
			return Execution{}, err
		}
		if e.State.Done() {
			return e, nil
		}
		select {
		case <-ctx.Done():
			return e, fmt.Errorf("wait for execution %s: %w", id, ctx.Err())
		case <-t.C:
		}
	}
}
