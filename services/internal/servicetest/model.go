package servicetest

import (
	"context"
	"sync"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/pipeline"
)

// Model is a model deployed and undeployed at once, predicting 1.5 for every row; it refuses to predict
// while undeployed.
type Model struct {
	mu        sync.Mutex
	state     model.State
	Undeploys int
}

// Deploy deploys it.
func (m *Model) Deploy(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.state = model.Deployed
	return nil
}

// State reports its state.
func (m *Model) State(context.Context) (model.Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Status{State: m.state}, nil
}

// Predict predicts 1.5 per row.
func (m *Model) Predict(_ context.Context, in model.Instances) ([]model.Prediction, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state != model.Deployed {
		return nil, model.ErrNotDeployed
	}
	out := make([]model.Prediction, len(in.Rows))
	for i := range out {
		out[i] = model.Prediction{Value: 1.5}
	}
	return out, nil
}

// BatchPredict is not supported.
func (m *Model) BatchPredict(context.Context, model.BatchJob) (model.BatchResult, error) {
	return model.BatchResult{}, model.ErrUnsupported
}

// Undeploy undeploys it.
func (m *Model) Undeploy(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state == model.Deployed {
		m.state = model.Undeployed
		m.Undeploys++
	}
	return nil
}

// Close does nothing.
func (m *Model) Close() error { return nil }

// Models opens the same model whatever the metadata table selects.
type Models struct{ M model.Model }

// Open returns the model.
func (o Models) Open(context.Context, pipeline.Model) (model.Model, error) { return o.M, nil }
