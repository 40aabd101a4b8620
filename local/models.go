package local

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"google.golang.org/api/option"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/automl"
	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/model/vertex"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/training"
	"github.com/pltv/pltv/warehouse"
)

// Models opens the model the metadata table selected with the configured backend (MODEL_BACKEND), once per
// model for the life of the runtime, so that a deployment started by one call is seen by the next.
type Models struct {
	cfg      config.Config
	stateDir string
	wh       warehouse.Warehouse
	clock    local.Clock
	log      *slog.Logger
	opts     []option.ClientOption
	// Meter counts the deployments and the deployed and predicting minutes of every model opened.
	Meter *Meter

	faults *modelFaults // nil: none

	mu   sync.Mutex
	open map[string]model.Model
}

var _ pipeline.Models = (*Models)(nil)

// NewModels returns the runtime's model source. clock drives the local model's simulated deployment latency
// (nil: deployments of the local model take effect at once).
func NewModels(cfg config.Config, stateDir string, wh warehouse.Warehouse, clock local.Clock, log *slog.Logger, opts ...option.ClientOption) *Models {
	now := time.Now
	if clock != nil {
		now = clock.Now
	}
	return &Models{cfg: cfg, stateDir: stateDir, wh: wh, clock: clock, log: log, opts: opts, open: map[string]model.Model{},
		Meter: NewMeter(now)}
}

// Open returns the driver of the selected model.
func (s *Models) Open(ctx context.Context, m pipeline.Model) (model.Model, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := m.Name + "\x00" + m.ID
	if d, ok := s.open[key]; ok {
		return d, nil
	}
	d, err := s.driver(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("open model %s: %w", m.Name, err)
	}
	d = s.Meter.wrap(s.faults.wrap(d))
	s.open[key] = d
	return d, nil
}

func (s *Models) driver(ctx context.Context, m pipeline.Model) (model.Model, error) {
	switch s.cfg.ModelBackend {
	case config.BackendVertex:
		endpoint := s.cfg.ModelEndpointID
		return vertex.New(ctx, vertex.Config{Project: s.cfg.ModelGCPProject, Location: s.cfg.ModelRegion,
			Endpoint: endpoint, Model: m.ID, Logger: s.log}, s.opts...)
	case config.BackendAutoML:
		return automl.New(ctx, automl.Config{Project: s.cfg.ModelGCPProject, Location: s.cfg.ModelRegion,
			Model: m.Name, Logger: s.log}, s.opts...)
	}
	opts := local.Options{Dir: training.ModelsDir(s.stateDir), Name: m.Name, WH: s.wh, Clock: s.clock, Logger: s.log}
	if s.clock == nil {
		opts.DeployTime, opts.UndeployTime = -1, -1
	}
	return local.New(opts)
}

// Close closes every driver opened.
func (s *Models) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var first error
	for k, d := range s.open {
		if err := d.Close(); err != nil && first == nil {
			first = err
		}
		delete(s.open, k)
	}
	return first
}
