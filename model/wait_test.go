package model_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/testclock"
)

// scripted is a model whose State walks through a script, one entry per call.
type scripted struct {
	model.Model
	states   []model.Status
	calls    int
	deploys  int
	stateErr error
}

func (s *scripted) State(context.Context) (model.Status, error) {
	if s.stateErr != nil {
		return model.Status{}, s.stateErr
	}
	st := s.states[min(s.calls, len(s.states)-1)]
	s.calls++
	return st, nil
}

func (s *scripted) Deploy(context.Context) error { s.deploys++; return nil }

func TestWaitFor(t *testing.T) {
	st := func(s model.State) model.Status { return model.Status{State: s} }
	failed := model.Status{State: model.Failed, Reason: "quota"}
	tests := []struct {
		name      string
		want      model.State
		states    []model.Status
		wantWaits int
		wantErr   error
	}{
		{"already there", model.Deployed, []model.Status{st(model.Deployed)}, 0, nil},
		{"after three polls", model.Deployed, []model.Status{st(model.Deploying), st(model.Deploying), st(model.Deploying), st(model.Deployed)}, 3, nil},
		{"deploy fails", model.Deployed, []model.Status{st(model.Deploying), failed}, 1, model.ErrDeployFailed},
		{"failed counts as undeployed", model.Undeployed, []model.Status{st(model.Undeploying), failed}, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := testclock.New(nil)
			m := &scripted{states: tt.states}
			_, err := model.WaitFor(context.Background(), m, tt.want, model.WaitOptions{Clock: clock, Interval: time.Minute})
			if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("WaitFor() = %v, want %v", err, tt.wantErr)
			}
			want := make([]time.Duration, tt.wantWaits)
			for i := range want {
				want[i] = time.Minute
			}
			if diff := cmp.Diff(want, clock.Waits(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("waits mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWaitForStateError(t *testing.T) {
	boom := model.Retryable(errors.New("unavailable"))
	_, err := model.WaitFor(context.Background(), &scripted{stateErr: boom}, model.Deployed, model.WaitOptions{Clock: testclock.New(nil)})
	if !errors.Is(err, boom) || !model.IsRetryable(err) {
		t.Errorf("WaitFor() = %v, want the retryable State error", err)
	}
}

func TestWaitForContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	clock := testclock.New(func(n int) {
		if n == 2 {
			cancel()
		}
	})
	m := &scripted{states: []model.Status{{State: model.Deploying}}}
	_, err := model.WaitFor(ctx, m, model.Deployed, model.WaitOptions{Clock: clock})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("WaitFor() = %v, want context.Canceled", err)
	}
	if got := clock.Waits()[0]; got != 10*time.Second {
		t.Errorf("default interval = %v, want 10s", got)
	}
}

func TestDeployAndWait(t *testing.T) {
	m := &scripted{states: []model.Status{{State: model.Deploying}, {State: model.Deployed}}}
	if err := model.DeployAndWait(context.Background(), m, model.WaitOptions{Clock: testclock.New(nil)}); err != nil {
		t.Fatal(err)
	}
	if m.deploys != 1 {
		t.Errorf("Deploy called %d times, want 1", m.deploys)
	}
}
