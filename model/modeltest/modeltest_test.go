package modeltest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/modeltest"
	"github.com/pltv/pltv/warehouse"
)

// syncModel is a model whose deployment changes take effect at once, as an in-process model's do: the
// suite's paths for such drivers run against it.
type syncModel struct {
	mu       sync.Mutex
	deployed bool
}

func (m *syncModel) Deploy(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deployed = true
	return nil
}

func (m *syncModel) Undeploy(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deployed = false
	return nil
}

func (m *syncModel) State(context.Context) (model.Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.deployed {
		return model.Status{State: model.Deployed}, nil
	}
	return model.Status{State: model.Undeployed}, nil
}

func (m *syncModel) Predict(ctx context.Context, in model.Instances) ([]model.Prediction, error) {
	if st, _ := m.State(ctx); st.State != model.Deployed {
		return nil, fmt.Errorf("predict: %w", model.ErrNotDeployed)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	out := make([]model.Prediction, len(in.Rows))
	for i, row := range in.Rows {
		for _, v := range row {
			if x, ok := v.(float64); ok {
				out[i].Value += x
			}
		}
	}
	return out, nil
}

func (m *syncModel) BatchPredict(context.Context, model.BatchJob) (model.BatchResult, error) {
	return model.BatchResult{}, fmt.Errorf("batch predict: %w", model.ErrUnsupported)
}

func (m *syncModel) Close() error { return nil }

func TestSynchronousDriver(t *testing.T) {
	modeltest.Run(t, func(t *testing.T) modeltest.Fixture {
		return modeltest.Fixture{
			Model: &syncModel{},
			Instances: model.Instances{
				Schema: warehouse.Schema{{Name: "revenue", Type: warehouse.Float}, {Name: "country", Type: warehouse.String}},
				Rows:   []warehouse.Row{{1.5, "UK"}, {20.0, "FR"}, {300.25, "DE"}},
			},
		}
	}, modeltest.Features{})
}
