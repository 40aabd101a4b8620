package cloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"google.golang.org/api/option"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/automl"
	"github.com/pltv/pltv/model/vertex"
	"github.com/pltv/pltv/pipeline"
)

// Models opens the model the metadata table selects with the configured backend, once per model for the life
// of the function instance (a client holds connections).
type Models struct {
	cfg  config.Config
	log  *slog.Logger
	opts []option.ClientOption

	mu   sync.Mutex
	open map[string]model.Model
}

var _ pipeline.Models = (*Models)(nil)

// NewModels returns the models of a configuration; opts go to every client (tests point them at a fake).
func NewModels(cfg config.Config, log *slog.Logger, opts ...option.ClientOption) *Models {
	return &Models{cfg: cfg, log: log, opts: opts, open: map[string]model.Model{}}
}

// Open returns the model of a selection: on Vertex AI the metadata's model_id deployed to MODEL_ENDPOINT_ID
// (an endpoint's own id, never the model's) on MODEL_MACHINE_TYPE unless the model supports automatic
// resources; on AutoML Tables the metadata's model_name.
func (m *Models) Open(ctx context.Context, sel pipeline.Model) (model.Model, error) {
	key := sel.Name + "\x00" + sel.ID
	m.mu.Lock()
	defer m.mu.Unlock()
	if mdl, ok := m.open[key]; ok {
		return mdl, nil
	}
	mdl, err := m.dial(ctx, sel)
	if err != nil {
		return nil, fmt.Errorf("open model %s: %w", sel.Name, err)
	}
	m.open[key] = mdl
	return mdl, nil
}

func (m *Models) dial(ctx context.Context, sel pipeline.Model) (model.Model, error) {
	opts := m.opts
	if ep := m.cfg.ModelAutoMLAPIEndpoint; ep != "" {
		opts = append([]option.ClientOption{option.WithEndpoint(ep)}, opts...)
	}
	switch m.cfg.ModelBackend {
	case config.BackendVertex:
		id := sel.ID
		if id == "" {
			id = sel.Name
		}
		return vertex.New(ctx, vertex.Config{Project: m.cfg.ModelGCPProject, Location: m.cfg.ModelRegion,
			Endpoint: m.cfg.ModelEndpointID, Model: id, MachineType: m.cfg.ModelMachineType,
			MinReplicas: int32(m.cfg.ModelMinReplicas), MaxReplicas: int32(m.cfg.ModelMaxReplicas),
			Concurrency: m.cfg.PredictConcurrency, Logger: m.log}, opts...)
	case config.BackendAutoML:
		return automl.New(ctx, automl.Config{Project: m.cfg.ModelGCPProject, Location: m.cfg.ModelRegion,
			Model: sel.Name, Concurrency: m.cfg.PredictConcurrency, Logger: m.log}, opts...)
	}
	return nil, fmt.Errorf("the %s model backend does not run on Google Cloud", m.cfg.ModelBackend)
}

// Close closes every model opened.
func (m *Models) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	for k, mdl := range m.open {
		errs = append(errs, mdl.Close())
		delete(m.open, k)
	}
	return errors.Join(errs...)
}
