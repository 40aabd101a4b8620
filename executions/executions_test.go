package executions_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/executions"
)

// scripted returns the states of a script, one per Get.
type scripted struct {
	states []executions.State
	gets   int
}

func (s *scripted) Start(context.Context, string, any) (executions.Execution, error) {
	return executions.Execution{}, errors.New("not used")
}

func (s *scripted) Get(_ context.Context, id string) (executions.Execution, error) {
	st := s.states[min(s.gets, len(s.states)-1)]
	s.gets++
	return executions.Execution{ID: id, State: st}, nil
}

func (s *scripted) List(context.Context, string) ([]executions.Execution, error) { return nil, nil }

func TestWaitPolls(t *testing.T) {
	x := &scripted{states: []executions.State{executions.StateActive, executions.StateActive, executions.StateFailed}}
	e, err := executions.Wait(context.Background(), x, "e1", time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{executions.StateFailed, 3}, []any{e.State, x.gets}); diff != "" {
		t.Errorf("(state, gets) mismatch (-want +got):\n%s", diff)
	}
}

func TestWaitStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x := &scripted{states: []executions.State{executions.StateActive}}
	if _, err := executions.Wait(ctx, x, "e1", time.Millisecond); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait() error = %v, want context.Canceled", err)
	}
}

func TestWriteEmptyList(t *testing.T) {
	var text, js bytes.Buffer
	if err := executions.WriteList(&text, nil, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := executions.WriteList(&js, nil, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ID  WORKFLOW  DATE  STATE  STEPS  STARTED  DURATION\n", "[]\n"}, []string{text.String(), js.String()}); diff != "" {
		t.Errorf("output mismatch (-want +got):\n%s", diff)
	}
}

func TestWriteListShowsTheRunDatesNewestFirst(t *testing.T) {
	t0 := time.Date(2011, 6, 1, 0, 0, 0, 0, time.UTC)
	list := []executions.Execution{
		{ID: "old", Workflow: "daily", Argument: `{"date":"20110601"}`, StartTime: t0, EndTime: t0.Add(time.Second)},
		{ID: "new", Workflow: "backfill", Argument: `{"from":"20110601","to":"20110630"}`, StartTime: t0.Add(time.Hour), EndTime: t0.Add(2 * time.Hour)},
	}
	var b strings.Builder
	if err := executions.WriteList(&b, list, false, t0); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "new") || !strings.Contains(lines[1], "20110601..20110630") ||
		!strings.HasPrefix(lines[2], "old") || !strings.Contains(lines[2], "20110601") {
		t.Errorf("list:\n%s\nwant the backfill (newest, with its range) first, then the daily run with its date", b.String())
	}
}
