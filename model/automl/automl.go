// Package automl is the model driver for the legacy AutoML Tables API (v1beta1), the contract the original
// framework used: the model is deployed and undeployed in place (long-running operations), predicted one
// Row per request (so a batch of N rows is N calls, a bounded number at a time), and batch-predicted from
// BigQuery into a dataset the service creates. AutoML Tables was shut down on 2024-03-31; Vertex AI is
// the production default, and this driver stays for deployments that mirror the original.
//
// The driver keeps no state between calls but the model's feature columns: State reads the model's
// deployment state and the operations that work on it.
package automl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	automl "cloud.google.com/go/automl/apiv1beta1"
	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"google.golang.org/api/option"

	"github.com/pltv/pltv/model"
)

// Config names the model and says how to call it.
type Config struct {
	Project  string // the Google Cloud project of the model
	Location string // us-central1 or eu
	Model    string // the model's ID (metadata's model_name), or its full resource name

	// PositiveClass, for a classification model, takes the value from that class's score. A regression
	// model's value is its predicted number.
	PositiveClass string
	// Concurrency bounds the Predict calls in flight for one Predict; 0 means 8.
	Concurrency int

	// PollInterval is the wait between checks of a batch prediction; 0 means 30 seconds.
	PollInterval time.Duration
	// Clock times the batch polls; nil means the system clock.
	Clock model.Clock
	// Logger receives one line per deployment change and batch prediction; nil discards.
	Logger *slog.Logger
}

// Model is an AutoML Tables model.
type Model struct {
	cfg      Config
	name     string // projects/P/locations/L/models/M
	location string // projects/P/locations/L
	log      *slog.Logger

	models      *automl.Client
	predictions *automl.PredictionClient

	mu       sync.Mutex
	features []*automlpb.ColumnSpec // the model's input features, in the order a Row takes them; nil until read
}

var _ model.Model = (*Model)(nil)

// New connects to the AutoML API. Without an endpoint option, the eu location uses eu-automl.googleapis.com
// and the others the global endpoint.
func New(ctx context.Context, cfg Config, opts ...option.ClientOption) (*Model, error) {
	if cfg.Project == "" || cfg.Location == "" || cfg.Model == "" {
		return nil, errors.New("automl model: project, location and model are required")
	}
	cfg = withDefaults(cfg)
	loc := "projects/" + cfg.Project + "/locations/" + cfg.Location
	m := &Model{cfg: cfg, location: loc, name: cfg.Model, log: cfg.Logger}
	if !strings.Contains(m.name, "/") {
		m.name = loc + "/models/" + cfg.Model
	}
	if cfg.Location == "eu" {
		opts = append([]option.ClientOption{option.WithEndpoint("eu-automl.googleapis.com:443")}, opts...)
	}
	var err error
	if m.models, err = automl.NewClient(ctx, opts...); err != nil {
		return nil, fmt.Errorf("automl client: %w", err)
	}
	if m.predictions, err = automl.NewPredictionClient(ctx, opts...); err != nil {
		_ = m.models.Close()
		return nil, fmt.Errorf("automl prediction client: %w", err)
	}
	return m, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 30 * time.Second
	}
	if cfg.Clock == nil {
		cfg.Clock = model.SystemClock
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// Close closes the clients.
func (m *Model) Close() error {
	return errors.Join(m.models.Close(), m.predictions.Close())
}
