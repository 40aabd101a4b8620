package local

import (
	"context"
	"testing"
	"time"

	"github.com/pltv/pltv/model"
)

// fakeModel is deployed or not, at once; a prediction advances the clock.
type fakeModel struct {
	model.Model
	deployed bool
	clock    *time.Time
	predict  time.Duration
}

func (f *fakeModel) State(context.Context) (model.Status, error) {
	if f.deployed {
		return model.Status{State: model.Deployed}, nil
	}
	return model.Status{State: model.Undeployed}, nil
}
func (f *fakeModel) Deploy(context.Context) error   { f.deployed = true; return nil }
func (f *fakeModel) Undeploy(context.Context) error { f.deployed = false; return nil }
func (f *fakeModel) Predict(context.Context, model.Instances) ([]model.Prediction, error) {
	*f.clock = f.clock.Add(f.predict)
	return nil, nil
}

func TestMeterCountsDeploysAndDeployedAndPredictingMinutes(t *testing.T) {
	now := time.Date(2011, 6, 1, 0, 0, 0, 0, time.UTC)
	m := NewMeter(func() time.Time { return now })
	d := m.wrap(&fakeModel{clock: &now, predict: time.Minute})
	ctx := context.Background()
	d.Deploy(ctx)
	d.Deploy(ctx) // already deployed: not a second deployment
	now = now.Add(2 * time.Minute)
	d.Predict(ctx, model.Instances{})
	now = now.Add(3 * time.Minute)
	d.Predict(ctx, model.Instances{})
	now = now.Add(30 * time.Minute)
	d.Undeploy(ctx)
	got := m.Use()
	want := ModelUse{Deploys: 1, DeployedMinutes: 37, PredictingMinutes: 5}
	if got != want {
		t.Errorf("Use() = %+v, want %+v", got, want)
	}
	d.Deploy(ctx)
	now = now.Add(10 * time.Minute)
	if got := m.Use(); got.Deploys != 2 || got.DeployedMinutes != 47 || !got.Deployed {
		t.Errorf("Use() while deployed again = %+v, want 2 deploys, 47 minutes, still deployed", got)
	}
}
