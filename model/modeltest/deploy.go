package modeltest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/testclock"
)

func wantState(t *testing.T, m model.Model, want model.State) model.Status {
	t.Helper()
	st, err := m.State(context.Background())
	if err != nil {
		t.Fatalf("State() error: %v", err)
	}
	if st.State != want {
		t.Fatalf("State() = %v, want %v", st.State, want)
	}
	return st
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func wantBusy(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, model.ErrBusy) || !model.IsRetryable(err) {
		t.Fatalf("%s = %v, want a retryable model.ErrBusy", what, err)
	}
}

// settle finishes pending changes when deployment is asynchronous.
func settle(fx Fixture, f Features) {
	if f.AsyncDeploy {
		fx.Settle()
	}
}

// deployed returns a fixture whose model is deployed.
func deployed(t *testing.T, newFixture NewFixture, f Features) Fixture {
	t.Helper()
	fx := newFixture(t)
	must(t, "Deploy()", fx.Model.Deploy(context.Background()))
	settle(fx, f)
	wantState(t, fx.Model, model.Deployed)
	return fx
}

func testStartsUndeployed(t *testing.T, newFixture NewFixture, _ Features) {
	fx := newFixture(t)
	if st := wantState(t, fx.Model, model.Undeployed); st.Reason != "" {
		t.Errorf("Status.Reason = %q for an undeployed model, want empty", st.Reason)
	}
}

func testPredictUndeployed(t *testing.T, newFixture NewFixture, _ Features) {
	fx := newFixture(t)
	_, err := fx.Model.Predict(context.Background(), fx.Instances)
	if !errors.Is(err, model.ErrNotDeployed) {
		t.Errorf("Predict() on an undeployed model = %v, want model.ErrNotDeployed", err)
	}
}

func testDeployIdempotent(t *testing.T, newFixture NewFixture, f Features) {
	ctx := context.Background()
	fx := newFixture(t)
	must(t, "Deploy()", fx.Model.Deploy(ctx))
	if f.AsyncDeploy {
		wantState(t, fx.Model, model.Deploying)
		must(t, "Deploy() while deploying", fx.Model.Deploy(ctx))
		wantState(t, fx.Model, model.Deploying)
		wantBusy(t, "Undeploy() while deploying", fx.Model.Undeploy(ctx))
		fx.Settle()
	}
	wantState(t, fx.Model, model.Deployed)
	must(t, "Deploy() when deployed", fx.Model.Deploy(ctx))
	wantState(t, fx.Model, model.Deployed)
	settle(fx, f) // nothing may be pending: a second deployment would show as one more change
	wantState(t, fx.Model, model.Deployed)
}

func testUndeployIdempotent(t *testing.T, newFixture NewFixture, f Features) {
	ctx := context.Background()
	fx := newFixture(t)
	must(t, "Undeploy() when undeployed", fx.Model.Undeploy(ctx))
	wantState(t, fx.Model, model.Undeployed)
	fx = deployed(t, newFixture, f)
	must(t, "Undeploy()", fx.Model.Undeploy(ctx))
	if f.AsyncDeploy {
		wantState(t, fx.Model, model.Undeploying)
		must(t, "Undeploy() while undeploying", fx.Model.Undeploy(ctx))
		wantState(t, fx.Model, model.Undeploying)
		wantBusy(t, "Deploy() while undeploying", fx.Model.Deploy(ctx))
		fx.Settle()
	}
	wantState(t, fx.Model, model.Undeployed)
	must(t, "Undeploy() when undeployed", fx.Model.Undeploy(ctx))
	wantState(t, fx.Model, model.Undeployed)
	// The model can come back.
	must(t, "Deploy() after undeploy", fx.Model.Deploy(ctx))
	settle(fx, f)
	wantState(t, fx.Model, model.Deployed)
}

func testDeployFailure(t *testing.T, newFixture NewFixture, f Features) {
	if !f.has(DeployFails) {
		t.Skip("the driver's fixture cannot make a deployment fail")
	}
	ctx := context.Background()
	fx := newFixture(t)
	fx.Inject(DeployFails)
	must(t, "Deploy()", fx.Model.Deploy(ctx))
	settle(fx, f)
	st := wantState(t, fx.Model, model.Failed)
	if st.Reason == "" {
		t.Error("Status.Reason is empty for a failed deployment")
	}
	if _, err := model.WaitFor(ctx, fx.Model, model.Deployed, model.WaitOptions{Clock: testclock.New(nil)}); !errors.Is(err, model.ErrDeployFailed) {
		t.Errorf("WaitFor(Deployed) on a failed model = %v, want model.ErrDeployFailed", err)
	}
	must(t, "Undeploy() after a failed deployment", fx.Model.Undeploy(ctx))
	wantState(t, fx.Model, model.Failed)
	must(t, "Deploy() again", fx.Model.Deploy(ctx))
	if f.AsyncDeploy {
		wantState(t, fx.Model, model.Deploying)
		fx.Settle()
	}
	wantState(t, fx.Model, model.Deployed)
}

func testWaitForDeployed(t *testing.T, newFixture NewFixture, f Features) {
	fx := newFixture(t)
	clock := testclock.New(func(n int) {
		if n >= 3 && f.AsyncDeploy {
			fx.Settle() // changes finish while the caller sleeps for the third time and later
		}
	})
	opts := model.WaitOptions{Clock: clock, Interval: time.Minute}
	if err := model.DeployAndWait(context.Background(), fx.Model, opts); err != nil {
		t.Fatalf("DeployAndWait() = %v", err)
	}
	wantWaits := 0
	if f.AsyncDeploy {
		wantWaits = 3
	}
	if got := len(clock.Waits()); got != wantWaits {
		t.Errorf("DeployAndWait() slept %d times, want %d", got, wantWaits)
	}
	if err := model.UndeployAndWait(context.Background(), fx.Model, opts); err != nil {
		t.Fatalf("UndeployAndWait() = %v", err)
	}
	wantState(t, fx.Model, model.Undeployed)
}
