package local

import (
	"fmt"
	"math"
	"strconv"

	"github.com/pltv/pltv/warehouse"
)

// Feature kinds.
const (
	Numeric     = "numeric"     // one encoded column: the transformed, standardised number
	Categorical = "categorical" // one encoded column per level: 1 for the row's level, else 0
)

// Transforms of numeric features.
const (
	Identity = "identity"
	Log1p    = "log1p" // sign(x)·ln(1+|x|): amounts and counts, heavy-tailed and at times negative
)

// Clip bounds a standardised number, so that an outlier cannot swing a linear model's prediction.
const Clip = 5.0

// Feature is one input column of the model and its encoding.
type Feature struct {
	Name string `json:"name"` // the column's name, matched without regard to case
	Kind string `json:"kind"`
	// Numeric features: the transform, then (t - Center) / Scale, clipped to ±Clip. A NULL is the centre.
	Transform string  `json:"transform,omitempty"`
	Center    float64 `json:"center,omitempty"`
	Scale     float64 `json:"scale,omitempty"`
	// Categorical features: the levels that have a column of their own. Other values and NULL have none.
	Levels []string `json:"levels,omitempty"`
}

func (f Feature) check() error {
	switch f.Kind {
	case Numeric:
		if f.Transform != Identity && f.Transform != Log1p {
			return fmt.Errorf("feature %s: unknown transform %q (want %s or %s)", f.Name, f.Transform, Identity, Log1p)
		}
		if !finite(f.Center) || !finite(f.Scale) || f.Scale <= 0 {
			return fmt.Errorf("feature %s: centre %v and scale %v, want finite numbers and a positive scale", f.Name, f.Center, f.Scale)
		}
	case Categorical:
		seen := map[string]bool{}
		for _, l := range f.Levels {
			if seen[l] {
				return fmt.Errorf("feature %s: level %q listed twice", f.Name, l)
			}
			seen[l] = true
		}
	default:
		return fmt.Errorf("feature %s: unknown kind %q (want %s or %s)", f.Name, f.Kind, Numeric, Categorical)
	}
	return nil
}

// Apply returns the transformed number, before standardisation.
func (f Feature) Apply(x float64) float64 {
	if f.Transform != Log1p {
		return x
	}
	if x < 0 {
		return -math.Log1p(-x)
	}
	return math.Log1p(x)
}

// Standardise returns the encoded value of a number.
func (f Feature) Standardise(x float64) float64 {
	return max(-Clip, min(Clip, (f.Apply(x)-f.Center)/f.Scale))
}

// Columns returns the names of the encoded columns of the features: a numeric feature's name, and
// name=level for each level of a categorical one.
func Columns(features []Feature) []string {
	var out []string
	for _, f := range features {
		if f.Kind == Categorical {
			for _, l := range f.Levels {
				out = append(out, f.Name+"="+l)
			}
			continue
		}
		out = append(out, f.Name)
	}
	return out
}

// Encoder turns rows of one schema into the encoded columns of a model's features.
type Encoder struct {
	feats []boundFeature
	width int
}

type boundFeature struct {
	Feature
	col    int            // the column of the schema
	offset int            // the first encoded column
	levels map[string]int // categorical: level → encoded column after offset
}

// ColumnError says that a feature's column is missing from the rows' schema or has a type the feature
// cannot take.
type ColumnError struct {
	Column string
	Reason string
}

func (e *ColumnError) Error() string { return fmt.Sprintf("feature column %s: %s", e.Column, e.Reason) }

// NewEncoder binds the features to the columns of schema, by name. It fails with a *ColumnError for the
// first feature whose column is missing or of the wrong type: numbers take INTEGER and FLOAT columns,
// categories STRING and INTEGER ones.
func NewEncoder(features []Feature, schema warehouse.Schema) (*Encoder, error) {
	e := &Encoder{}
	for _, f := range features {
		col := schema.Index(f.Name)
		if col < 0 {
			return nil, &ColumnError{Column: f.Name, Reason: "missing"}
		}
		t := schema[col].Type
		bf := boundFeature{Feature: f, col: col, offset: e.width}
		switch f.Kind {
		case Numeric:
			if t != warehouse.Integer && t != warehouse.Float {
				return nil, &ColumnError{Column: f.Name, Reason: fmt.Sprintf("type %s, want a number (INTEGER or FLOAT)", t)}
			}
			e.width++
		case Categorical:
			if t != warehouse.String && t != warehouse.Integer {
				return nil, &ColumnError{Column: f.Name, Reason: fmt.Sprintf("type %s, want STRING or INTEGER", t)}
			}
			bf.levels = make(map[string]int, len(f.Levels))
			for i, l := range f.Levels {
				bf.levels[l] = i
			}
			e.width += len(f.Levels)
		default:
			return nil, fmt.Errorf("feature %s: unknown kind %q", f.Name, f.Kind)
		}
		e.feats = append(e.feats, bf)
	}
	return e, nil
}

// Width is the number of encoded columns.
func (e *Encoder) Width() int { return e.width }

// Encode writes the encoded columns of row into dst, which has Width elements. A value of a Go type its
// column cannot hold fails, naming the column.
func (e *Encoder) Encode(row warehouse.Row, dst []float64) error {
	clear(dst)
	for i := range e.feats {
		f := &e.feats[i]
		if f.col >= len(row) {
			return &ColumnError{Column: f.Name, Reason: "the row has no value for it"}
		}
		v := row[f.col]
		if f.Kind == Numeric {
			var x float64
			switch n := v.(type) {
			case nil:
				continue // the centre: 0 once standardised
			case float64:
				x = n
			case int64:
				x = float64(n)
			default:
				return &ColumnError{Column: f.Name, Reason: fmt.Sprintf("value of Go type %T, want a number", v)}
			}
			if !finite(x) {
				return &ColumnError{Column: f.Name, Reason: fmt.Sprintf("value %v is not a finite number", x)}
			}
			dst[f.offset] = f.Standardise(x)
			continue
		}
		var key string
		switch s := v.(type) {
		case nil:
			continue
		case string:
			key = s
		case int64:
			key = strconv.FormatInt(s, 10)
		default:
			return &ColumnError{Column: f.Name, Reason: fmt.Sprintf("value of Go type %T, want a string or an integer", v)}
		}
		if j, ok := f.levels[key]; ok {
			dst[f.offset+j] = 1
		}
	}
	return nil
}
