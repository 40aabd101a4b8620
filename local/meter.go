package local

import (
	"context"
	"sync"
	"time"

	"github.com/pltv/pltv/model"
)

// Meter counts what the models cost: the deployments started, the minutes a model was deployed (billed, in
// the runtime's time) and the minutes it was predicting (from the first prediction of each deployment to
// the end of its last), so a run can be compared with the idle stop's promise (deployed ≤ predicting +
// STOP_MODEL_WAITING_MINUTES + one poll).
type Meter struct {
	now func() time.Time

	mu            sync.Mutex
	deploys       int
	deployedSince time.Time // zero while no model is deployed
	deployed      time.Duration
	firstPredict  time.Time // of the current deployment; zero before its first prediction
	lastPredict   time.Time // the end of its last prediction
	predicting    time.Duration
}

// ModelUse is what a Meter counted up to a moment.
type ModelUse struct {
	Deploys           int     `json:"deploys"`
	DeployedMinutes   float64 `json:"deployed_minutes"`
	PredictingMinutes float64 `json:"predicting_minutes"`
	Deployed          bool    `json:"deployed"` // a model is still deployed
}

// NewMeter returns a meter reading the time from now (nil: the wall clock).
func NewMeter(now func() time.Time) *Meter {
	if now == nil {
		now = time.Now
	}
	return &Meter{now: now}
}

// Use returns the counts so far.
func (m *Meter) Use() ModelUse {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	u := ModelUse{Deploys: m.deploys, DeployedMinutes: m.deployed.Minutes(), PredictingMinutes: m.predicting.Minutes()}
	if !m.deployedSince.IsZero() {
		u.Deployed = true
		u.DeployedMinutes += now.Sub(m.deployedSince).Minutes()
	}
	if !m.firstPredict.IsZero() {
		u.PredictingMinutes += m.lastPredict.Sub(m.firstPredict).Minutes()
	}
	return u
}

// wrap returns d counted by the meter.
func (m *Meter) wrap(d model.Model) model.Model { return &metered{Model: d, m: m} }

type metered struct {
	model.Model
	m *Meter
}

func (x *metered) Deploy(ctx context.Context) error {
	st, err := x.Model.State(ctx)
	if err != nil {
		return x.Model.Deploy(ctx)
	}
	if err := x.Model.Deploy(ctx); err != nil {
		return err
	}
	if st.State == model.Undeployed || st.State == model.Failed {
		x.m.mu.Lock()
		x.m.deploys++
		if x.m.deployedSince.IsZero() {
			x.m.deployedSince = x.m.now()
		}
		x.m.mu.Unlock()
	}
	return nil
}

func (x *metered) Undeploy(ctx context.Context) error {
	if err := x.Model.Undeploy(ctx); err != nil {
		return err
	}
	x.m.mu.Lock()
	if !x.m.deployedSince.IsZero() {
		x.m.deployed += x.m.now().Sub(x.m.deployedSince)
		x.m.deployedSince = time.Time{}
	}
	if !x.m.firstPredict.IsZero() {
		x.m.predicting += x.m.lastPredict.Sub(x.m.firstPredict)
		x.m.firstPredict, x.m.lastPredict = time.Time{}, time.Time{}
	}
	x.m.mu.Unlock()
	return nil
}

func (x *metered) Predict(ctx context.Context, in model.Instances) ([]model.Prediction, error) {
	x.m.mu.Lock()
	if x.m.firstPredict.IsZero() {
		x.m.firstPredict = x.m.now()
	}
	x.m.mu.Unlock()
	defer func() {
		x.m.mu.Lock()
		if end := x.m.now(); end.After(x.m.lastPredict) { // a later call may have ended first
			x.m.lastPredict = end
		}
		x.m.mu.Unlock()
	}()
	return x.Model.Predict(ctx, in)
}
