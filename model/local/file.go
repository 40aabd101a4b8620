package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// FormatVersion is the version of the model file format that this package reads and writes. A file of
// another version is refused with ErrFormatVersion.
const FormatVersion = 1

// The kinds of model a file holds.
const (
	// KindTwoPart is the trained model: P(return) × E[value | return].
	KindTwoPart = "two_part"
	// KindFirstPurchaseValue predicts that a customer spends again what the first basket was worth: the
	// baseline that a trained model must beat.
	KindFirstPurchaseValue = "first_purchase_value"
)

// ErrFormatVersion is returned (wrapped) for a model file of a format version this package does not read.
var ErrFormatVersion = errors.New("unknown model file format version")

// File is a saved model.
type File struct {
	FormatVersion int       `json:"format_version"`
	Name          string    `json:"name"`
	Kind          string    `json:"kind"`
	CreatedAt     time.Time `json:"created_at"`
	// Window is the data the model was trained on.
	Window Window `json:"window"`
	// Label says in words what the model predicts.
	Label string `json:"label,omitempty"`
	// Features are the input columns and their encodings; Columns names the encoded columns they make
	// (see Columns), to which the weights of Return and Value refer.
	Features []Feature `json:"features,omitempty"`
	Columns  []string  `json:"columns,omitempty"`
	// Return gives the log-odds that the customer buys again within the horizon.
	Return Linear `json:"return"`
	// Value gives the log of the value the customer spends in the horizon, given a return.
	Value LogLinear `json:"value"`
	// Calibration, when set, maps PReturn × ValueIfReturn to the predicted value.
	Calibration *Calibration `json:"calibration,omitempty"`
	// Known are the feature values the model knows, the rows of training_data_features_<model_date>:
	// the countries it encodes (type "country") and the best-selling products the best_seller_* columns
	// were computed with (type "product").
	Known []KnownValue `json:"known_values,omitempty"`
	// Metrics are the training and evaluation figures, as the trainer reports them.
	Metrics json.RawMessage `json:"metrics,omitempty"`
}

// Window is the training window, in run dates (YYYYMMDD).
type Window struct {
	From        string `json:"from"`         // the first run date whose tables were read
	ModelDate   string `json:"model_date"`   // the last run date read, and the model's date in the metadata table
	CohortFrom  string `json:"cohort_from"`  // first purchases from this date...
	CohortTo    string `json:"cohort_to"`    // ...to this one make the training rows
	HorizonDays int    `json:"horizon_days"` // the label is the value spent in this many days after the first purchase
}

// Linear is a linear function of the encoded columns.
type Linear struct {
	Intercept float64   `json:"intercept"`
	Weights   []float64 `json:"weights"`
}

// LogLinear is a linear model of the log of a value: the value is exp(Intercept + Weights·x) × Smearing,
// where Smearing (Duan's estimator, the mean of the exponentiated training residuals) turns the
// exponentiated mean of the log into the mean of the value.
type LogLinear struct {
	Linear
	Smearing float64 `json:"smearing"`
}

// KnownValue is one row of a features table.
type KnownValue struct {
	Value string `json:"value"`
	Type  string `json:"type"`
}

// nameRE is what a model name may be: it becomes a file name.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// CheckName refuses a model name that cannot be a file name of its own under the models directory.
func CheckName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("model name %q: want letters, digits, '.', '_' or '-' (at most 128, not starting with a symbol)", name)
	}
	return nil
}

// Path returns the file of the named model under dir: dir/<name>.json.
func Path(dir, name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", err
	}
	return filepath.Join(dir, name+".json"), nil
}

// Load reads and checks a model file.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	f, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return f, nil
}

// Decode parses and checks a model file's contents. The format version is read first, so that a file of
// another version is refused with ErrFormatVersion whatever else it holds.
func Decode(b []byte) (*File, error) {
	var v struct {
		FormatVersion *int `json:"format_version"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("not a model file: %w", err)
	}
	if v.FormatVersion == nil {
		return nil, fmt.Errorf("%w: the file has no format_version", ErrFormatVersion)
	}
	if *v.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("%w %d: this pltv reads version %d (retrain the model with this version)",
			ErrFormatVersion, *v.FormatVersion, FormatVersion)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("model file: %w", err)
	}
	if err := f.Check(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Save writes the model file at path, replacing it at once (through a file renamed into place), and
// creates the directory if needed.
func (f *File) Save(path string) error {
	if err := f.Check(); err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	if err := writeFileAtomic(path, append(b, '\n')); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}

func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return nil
}

// Check verifies that the file is one this package can serve: its version and kind, features whose
// encodings are complete, weights for every encoded column, finite numbers.
func (f *File) Check() error {
	if f.FormatVersion != FormatVersion {
		return fmt.Errorf("%w %d: this pltv reads version %d", ErrFormatVersion, f.FormatVersion, FormatVersion)
	}
	if err := CheckName(f.Name); err != nil {
		return err
	}
	switch f.Kind {
	case KindFirstPurchaseValue:
		return nil
	case KindTwoPart:
	default:
		return fmt.Errorf("model %s: unknown kind %q (want %s or %s)", f.Name, f.Kind, KindTwoPart, KindFirstPurchaseValue)
	}
	if len(f.Features) == 0 {
		return fmt.Errorf("model %s: no features", f.Name)
	}
	seen := map[string]bool{}
	for _, ft := range f.Features {
		if seen[ft.Name] {
			return fmt.Errorf("model %s: feature %s listed twice", f.Name, ft.Name)
		}
		seen[ft.Name] = true
		if err := ft.check(); err != nil {
			return fmt.Errorf("model %s: %w", f.Name, err)
		}
	}
	if want := Columns(f.Features); !slices.Equal(f.Columns, want) {
		return fmt.Errorf("model %s: the columns %v do not match the features' encodings %v", f.Name, f.Columns, want)
	}
	for _, p := range []struct {
		name string
		lin  Linear
	}{{"return", f.Return}, {"value", f.Value.Linear}} {
		if len(p.lin.Weights) != len(f.Columns) {
			return fmt.Errorf("model %s: %s has %d weights for %d columns", f.Name, p.name, len(p.lin.Weights), len(f.Columns))
		}
		if !finite(p.lin.Intercept) || slices.ContainsFunc(p.lin.Weights, func(w float64) bool { return !finite(w) }) {
			return fmt.Errorf("model %s: %s has a weight that is not a finite number", f.Name, p.name)
		}
	}
	if !finite(f.Value.Smearing) || f.Value.Smearing <= 0 {
		return fmt.Errorf("model %s: value smearing %v, want a positive number", f.Name, f.Value.Smearing)
	}
	if f.Calibration != nil {
		if err := f.Calibration.check(); err != nil {
			return fmt.Errorf("model %s: %w", f.Name, err)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Baseline returns the first-purchase-value model under the given name.
func Baseline(name string) *File {
	return &File{FormatVersion: FormatVersion, Name: name, Kind: KindFirstPurchaseValue,
		Label: "the value of the first basket (basket_value), as the value to come"}
}
