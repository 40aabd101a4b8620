package local

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pltv/pltv/model"
)

// ModelFaults are the faults a runtime's model drivers show, at the model port and as the Vertex AI driver
// reports them, so that the retries they meet are the real ones.
type ModelFaults struct {
	// DeployFails is how many deployments end failed (deployfail=N), as a Vertex AI DeployModel operation
	// that ends in error does: the state reads failed, with the reason, until the model is deployed again.
	DeployFails int
	// Throttle is how long, from the first prediction asked, every prediction is answered
	// RESOURCE_EXHAUSTED (HTTP 429), as an online prediction quota exhausted is (throttle=DURATION).
	Throttle time.Duration
	// HangPredict is the prediction call (counted from 1) that never returns (hangpredict=N): the batch it
	// belongs to is in flight until the process is killed. Before it hangs, the call creates the file
	// Signal (signal=PATH), so that a test knows the moment.
	HangPredict int
	Signal      string
}

func (f ModelFaults) any() bool { return f.DeployFails > 0 || f.Throttle > 0 || f.HangPredict > 0 }

// modelFaults is the faults' progress, shared by every driver the runtime opens.
type modelFaults struct {
	ModelFaults
	log          *slog.Logger // each fault injected is logged ("injected fault"), so that a test can count them
	mu           sync.Mutex
	deployFailed int       // deployments failed so far
	failed       string    // the reason of the failed deployment the model is in; empty: none
	firstPredict time.Time // of the process; zero before it
	predicts     int
}

// wrap returns d with the faults.
func (f *modelFaults) wrap(d model.Model) model.Model {
	if f == nil || !f.any() {
		return d
	}
	return &faulty{Model: d, f: f}
}

type faulty struct {
	model.Model
	f *modelFaults
}

func (x *faulty) Deploy(ctx context.Context) error {
	f := x.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failed != "" {
		f.failed = "" // a new deployment replaces the failed one
		return x.Model.Deploy(ctx)
	}
	if f.deployFailed < f.DeployFails {
		st, err := x.Model.State(ctx)
		if err != nil {
			return err
		}
		if st.State == model.Undeployed || st.State == model.Failed {
			f.deployFailed++
			f.failed = fmt.Sprintf("injected fault: deployment %d of %d failed", f.deployFailed, f.DeployFails)
			f.log.WarnContext(ctx, "injected fault", "fault", f.failed)
			return nil
		}
	}
	return x.Model.Deploy(ctx)
}

func (x *faulty) State(ctx context.Context) (model.Status, error) {
	x.f.mu.Lock()
	reason := x.f.failed
	x.f.mu.Unlock()
	if reason != "" {
		return model.Status{State: model.Failed, Reason: reason}, nil
	}
	return x.Model.State(ctx)
}

func (x *faulty) Undeploy(ctx context.Context) error {
	x.f.mu.Lock()
	failed := x.f.failed != ""
	x.f.mu.Unlock()
	if failed {
		return nil // a failed deployment has nothing to take down
	}
	return x.Model.Undeploy(ctx)
}

func (x *faulty) Predict(ctx context.Context, in model.Instances) ([]model.Prediction, error) {
	f := x.f
	f.mu.Lock()
	if f.failed != "" {
		f.mu.Unlock()
		return nil, fmt.Errorf("local model predict: %w", model.ErrNotDeployed)
	}
	now := time.Now()
	if f.firstPredict.IsZero() {
		f.firstPredict = now
	}
	throttled := now.Sub(f.firstPredict) < f.Throttle
	f.predicts++
	hang := f.predicts == f.HangPredict
	f.mu.Unlock()
	if throttled {
		err := status.Error(codes.ResourceExhausted, "injected fault: quota exceeded for online prediction requests")
		f.log.WarnContext(ctx, "injected fault", "fault", "prediction answered RESOURCE_EXHAUSTED (429)")
		return nil, model.Retryable(fmt.Errorf("local model predict: %w", err))
	}
	if hang {
		if f.Signal != "" {
			if err := os.WriteFile(f.Signal, nil, 0o644); err != nil {
				return nil, err
			}
		}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return x.Model.Predict(ctx, in)
}
