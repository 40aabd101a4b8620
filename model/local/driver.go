package local

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/warehouse"
)

// BaselineName is the model that `pltv init` records before any model is trained. Without a file of that
// name, the driver serves the first-purchase-value model under it.
const BaselineName = "baseline"

// The simulated latencies of deployment changes.
const (
	DefaultDeployTime   = 2 * time.Minute
	DefaultUndeployTime = 30 * time.Second
)

// Clock tells the time; tests inject one that they move by hand.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Options says which model to serve and how.
type Options struct {
	// Dir is the models directory, <state>/models.
	Dir string
	// Name is the model's name, the metadata table's model_name: the file is Dir/<Name>.json.
	Name string
	// WH is the warehouse batch predictions read from and write to; without one, BatchPredict fails with
	// model.ErrUnsupported.
	WH warehouse.Warehouse
	// Clock measures the deployment latencies; nil means the system clock.
	Clock Clock
	// DeployTime and UndeployTime are how long a deployment and an undeployment take. Zero means
	// DefaultDeployTime and DefaultUndeployTime; a negative duration makes the change take effect at once.
	DeployTime, UndeployTime time.Duration
	// Logger receives one line per deployment change and batch prediction; nil discards.
	Logger *slog.Logger
}

// Model serves one model file.
type Model struct {
	opts Options
	path string
	dep  *deployment
	log  *slog.Logger
}

var _ model.Model = (*Model)(nil)

// New opens the driver of the named model. The model file must exist, except for BaselineName; it is read
// when the model is deployed (a file that cannot be read makes the deployment fail) and by each batch
// prediction.
func New(opts Options) (*Model, error) {
	path, err := Path(opts.Dir, opts.Name)
	if err != nil {
		return nil, fmt.Errorf("local model: %w", err)
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if _, err := os.Stat(path); err != nil && !(errors.Is(err, fs.ErrNotExist) && opts.Name == BaselineName) {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("local model %s: no model file %s (train one with pltv train)", opts.Name, path)
		}
		return nil, fmt.Errorf("local model %s: %w", opts.Name, err)
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	opts.DeployTime = latency(opts.DeployTime, DefaultDeployTime)
	opts.UndeployTime = latency(opts.UndeployTime, DefaultUndeployTime)
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Model{opts: opts, path: path, dep: deploymentOf(path), log: opts.Logger}, nil
}

func latency(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

// load reads the model file; the baseline needs none.
func (m *Model) load() (*File, error) {
	f, err := Load(m.path)
	if errors.Is(err, fs.ErrNotExist) && m.opts.Name == BaselineName {
		return Baseline(BaselineName), nil
	}
	if err != nil {
		return nil, err
	}
	if f.Name != m.opts.Name {
		return nil, fmt.Errorf("model file %s holds model %s, not %s", m.path, f.Name, m.opts.Name)
	}
	return f, nil
}

// Close releases nothing: the deployment state belongs to the process, not to the driver.
func (m *Model) Close() error { return nil }
