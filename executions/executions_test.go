package executions_test

import (
	"bytes"
	"context"
	"errors"
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
	if diff := cmp.Diff([]string{"ID  WORKFLOW  STATE  STEPS  STARTED  DURATION\n", "[]\n"}, []string{text.String(), js.String()}); diff != "" {
		t.Errorf("output mismatch (-want +got):\n%s", diff)
	}
}
