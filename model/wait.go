package model

import (
	"context"
	"fmt"
	"time"
)

// Clock is the passage of time as WaitFor sees it; tests inject one that needs no wall time.
type Clock interface {
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// SystemClock is the real clock.
var SystemClock Clock = systemClock{}

// WaitOptions says how WaitFor polls.
type WaitOptions struct {
	Clock    Clock         // nil means SystemClock
	Interval time.Duration // between polls; 0 means 10 seconds
}

func (o WaitOptions) withDefaults() WaitOptions {
	if o.Clock == nil {
		o.Clock = SystemClock
	}
	if o.Interval <= 0 {
		o.Interval = 10 * time.Second
	}
	return o
}

// WaitFor polls the model's state until it is want. Waiting for Undeployed also ends at Failed, since a
// failed deployment leaves nothing deployed. Waiting for any other state fails with ErrDeployFailed (and the
// reason) when the model ends in Failed, and with the context's error when ctx ends first. Errors of State
// itself end the wait too: the caller decides whether to wait again.
func WaitFor(ctx context.Context, m Model, want State, opts WaitOptions) (Status, error) {
	opts = opts.withDefaults()
	for {
		st, err := m.State(ctx)
		if err != nil {
			return st, fmt.Errorf("wait for model %s: %w", want, err)
		}
		if st.State == want || (want == Undeployed && st.State == Failed) {
			return st, nil
		}
		if st.State == Failed {
			return st, fmt.Errorf("wait for model %s: %w: %s", want, ErrDeployFailed, st.Reason)
		}
		select {
		case <-ctx.Done():
			return st, fmt.Errorf("wait for model %s (now %s): %w", want, st.State, ctx.Err())
		case <-opts.Clock.After(opts.Interval):
		}
	}
}

// DeployAndWait deploys the model and waits until it is deployed.
func DeployAndWait(ctx context.Context, m Model, opts WaitOptions) error {
	if err := m.Deploy(ctx); err != nil {
		return fmt.Errorf("deploy model: %w", err)
	}
	_, err := WaitFor(ctx, m, Deployed, opts)
	return err
}

// UndeployAndWait undeploys the model and waits until it is undeployed.
func UndeployAndWait(ctx context.Context, m Model, opts WaitOptions) error {
	if err := m.Undeploy(ctx); err != nil {
		return fmt.Errorf("undeploy model: %w", err)
	}
	_, err := WaitFor(ctx, m, Undeployed, opts)
	return err
}
