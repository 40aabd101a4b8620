// Package vertex is the model driver for Vertex AI, the production default: the model is deployed to an
// endpoint (EndpointService.DeployModel, a long-running operation), predicted through the
// PredictionService with many rows per request, batch-predicted by a BatchPredictionJob from BigQuery to
// BigQuery, and undeployed from the endpoint.
//
// The driver keeps no state between calls: State reads the endpoint and its operations, so a Cloud
// Function that deploys and another that polls agree. An endpoint is meant to serve this one model.
package vertex

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	aiplatform "cloud.google.com/go/aiplatform/apiv1"
	"google.golang.org/api/option"

	"github.com/pltv/pltv/model"
)

// Encoding is how a row becomes a prediction instance.
type Encoding int

const (
	// Object sends each row as a JSON object keyed by feature name (tabular AutoML models, most custom
	// containers).
	Object Encoding = iota
	// Array sends each row as a JSON array of values in schema order.
	Array
)

// Config names the model and says how to deploy and call it.
type Config struct {
	Project  string // the Google Cloud project of the endpoint and the model
	Location string // the region, e.g. europe-west1
	Endpoint string // the endpoint's ID, or its full resource name
	Model    string // the model's ID (metadata's model_id), or its full resource name

	// DisplayName names the deployed model; empty means "pltv-" and the model ID.
	DisplayName string
	// MachineType is the machine of the dedicated resources a model is deployed on, and of its batch
	// prediction jobs, unless the model lists AUTOMATIC_RESOURCES among its supported deployment resources
	// types (then Vertex AI chooses); empty means n1-standard-2, the default of Google's own SDK.
	MachineType string
	// MinReplicas and MaxReplicas bound the serving nodes (a batch job starts with MinReplicas); 0 means 1,
	// as in Google's SDK.
	MinReplicas, MaxReplicas int32

	// ValueField names the prediction field holding the value; empty means "value". A model that answers
	// a bare number (or a list of one number) gives it directly.
	ValueField string
	// PositiveClass, for a classification model, takes the value from that class's score (the "classes"
	// and "scores" lists of a tabular classification prediction) when there is no ValueField.
	PositiveClass string
	// Encoding is how rows are sent; Object by default.
	Encoding Encoding
	// MaxInstancesPerRequest caps the rows of one Predict request (Vertex AI allows 1.5 MB); 0 means 500.
	MaxInstancesPerRequest int
	// Concurrency bounds the Predict requests in flight for one Predict call; 0 means 4.
	Concurrency int

	// PollInterval is the wait between checks of a batch job; 0 means 30 seconds.
	PollInterval time.Duration
	// Clock times the batch polls; nil means the system clock.
	Clock model.Clock
	// Logger receives one line per deployment change and batch job; nil discards.
	Logger *slog.Logger
}

// DefaultMachineType is the machine of dedicated resources when Config names none, as in Google's SDK.
const DefaultMachineType = "n1-standard-2"

// Model is a Vertex AI model served from one endpoint.
type Model struct {
	cfg       Config
	endpoint  string // projects/P/locations/L/endpoints/E
	modelName string // projects/P/locations/L/models/M
	location  string // projects/P/locations/L
	log       *slog.Logger

	endpoints   *aiplatform.EndpointClient
	predictions *aiplatform.PredictionClient
	jobs        *aiplatform.JobClient
	models      *aiplatform.ModelClient

	mu        sync.Mutex
	automatic *bool // whether the model supports automatic resources, once GetModel said
}

var _ model.Model = (*Model)(nil)

// New connects to Vertex AI. Without an endpoint option the regional endpoint of cfg.Location is used.
func New(ctx context.Context, cfg Config, opts ...option.ClientOption) (*Model, error) {
	if cfg.Project == "" || cfg.Location == "" || cfg.Endpoint == "" || cfg.Model == "" {
		return nil, errors.New("vertex model: project, location, endpoint and model are required")
	}
	cfg = withDefaults(cfg)
	loc := "projects/" + cfg.Project + "/locations/" + cfg.Location
	m := &Model{
		cfg:       cfg,
		location:  loc,
		endpoint:  resourceName(loc, "endpoints", cfg.Endpoint),
		modelName: resourceName(loc, "models", cfg.Model),
		log:       cfg.Logger,
	}
	opts = append([]option.ClientOption{option.WithEndpoint(cfg.Location + "-aiplatform.googleapis.com:443")}, opts...)
	var err error
	if m.endpoints, err = aiplatform.NewEndpointClient(ctx, opts...); err != nil {
		return nil, fmt.Errorf("vertex endpoint client: %w", err)
	}
	if m.predictions, err = aiplatform.NewPredictionClient(ctx, opts...); err != nil {
		_ = m.endpoints.Close()
		return nil, fmt.Errorf("vertex prediction client: %w", err)
	}
	if m.jobs, err = aiplatform.NewJobClient(ctx, opts...); err != nil {
		_ = m.endpoints.Close()
		_ = m.predictions.Close()
		return nil, fmt.Errorf("vertex job client: %w", err)
	}
	if m.models, err = aiplatform.NewModelClient(ctx, opts...); err != nil {
		_ = m.endpoints.Close()
		_ = m.predictions.Close()
		_ = m.jobs.Close()
		return nil, fmt.Errorf("vertex model client: %w", err)
	}
	return m, nil
}

func withDefaults(cfg Config) Config {
	if cfg.DisplayName == "" {
		cfg.DisplayName = "pltv-" + lastSegment(cfg.Model)
	}
	if cfg.MachineType == "" {
		cfg.MachineType = DefaultMachineType
	}
	if cfg.MinReplicas <= 0 {
		cfg.MinReplicas = 1
	}
	if cfg.MaxReplicas < cfg.MinReplicas {
		cfg.MaxReplicas = cfg.MinReplicas
	}
	if cfg.ValueField == "" {
		cfg.ValueField = "value"
	}
	if cfg.MaxInstancesPerRequest <= 0 {
		cfg.MaxInstancesPerRequest = 500
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
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
	return errors.Join(m.endpoints.Close(), m.predictions.Close(), m.jobs.Close(), m.models.Close())
}

// resourceName returns id as a full resource name under loc, unless it is one already.
func resourceName(loc, collection, id string) string {
	if strings.Contains(id, "/") {
		return id
	}
	return loc + "/" + collection + "/" + id
}

func lastSegment(name string) string { return name[strings.LastIndex(name, "/")+1:] }

// sameModel reports whether a deployed model's model name is ours: Vertex AI may spell the project by
// number and add a version (@1), so the location and model ID are compared.
func sameModel(deployed, ours string) bool {
	strip := func(s string) string {
		s, _, _ = strings.Cut(s, "@")
		if i := strings.Index(s, "/locations/"); i >= 0 {
			return s[i:]
		}
		return s
	}
	return strip(deployed) == strip(ours)
}
