package local

import (
	"fmt"
	"math"

	"github.com/pltv/pltv/warehouse"
)

// BasketValueColumn is the column the first-purchase-value model predicts from.
const BasketValueColumn = "basket_value"

// maxLogValue bounds the log of a predicted value (e^30 ≈ 10^13), so that no input makes it infinite.
const maxLogValue = 30

// Score is the prediction for one row.
type Score struct {
	Value float64 // the predicted value: PReturn × ValueIfReturn for a two-part model, calibrated when it has a Calibration
	// PReturn and ValueIfReturn are the two parts; Parts is false for a model without them (the baseline).
	PReturn, ValueIfReturn float64
	Parts                  bool
}

// Scorer predicts rows of one schema with a model. It is not safe for concurrent use: each goroutine
// makes its own.
type Scorer struct {
	f      *File
	enc    *Encoder
	x      []float64
	basket int // the first-purchase-value model's column
}

// Scorer binds the model to the columns of schema. It fails with a *ColumnError when a feature's column
// is missing or of the wrong type.
func (f *File) Scorer(schema warehouse.Schema) (*Scorer, error) {
	s := &Scorer{f: f}
	if f.Kind == KindFirstPurchaseValue {
		s.basket = schema.Index(BasketValueColumn)
		if s.basket < 0 {
			return nil, &ColumnError{Column: BasketValueColumn, Reason: "missing"}
		}
		if t := schema[s.basket].Type; t != warehouse.Float && t != warehouse.Integer {
			return nil, &ColumnError{Column: BasketValueColumn, Reason: fmt.Sprintf("type %s, want a number (INTEGER or FLOAT)", t)}
		}
		return s, nil
	}
	enc, err := NewEncoder(f.Features, schema)
	if err != nil {
		return nil, err
	}
	s.enc, s.x = enc, make([]float64, enc.Width())
	return s, nil
}

// Score predicts one row.
func (s *Scorer) Score(row warehouse.Row) (Score, error) {
	if s.enc == nil {
		return s.baseline(row)
	}
	if err := s.enc.Encode(row, s.x); err != nil {
		return Score{}, err
	}
	p := sigmoid(s.f.Return.Intercept + dot(s.f.Return.Weights, s.x))
	mu := min(s.f.Value.Intercept+dot(s.f.Value.Weights, s.x), maxLogValue)
	v := math.Exp(mu) * s.f.Value.Smearing
	value := p * v
	if s.f.Calibration != nil {
		value = s.f.Calibration.Apply(value)
	}
	return Score{Value: value, PReturn: p, ValueIfReturn: v, Parts: true}, nil
}

func (s *Scorer) baseline(row warehouse.Row) (Score, error) {
	if s.basket >= len(row) {
		return Score{}, &ColumnError{Column: BasketValueColumn, Reason: "the row has no value for it"}
	}
	switch v := row[s.basket].(type) {
	case nil:
		return Score{}, nil
	case float64:
		if !finite(v) {
			return Score{}, &ColumnError{Column: BasketValueColumn, Reason: fmt.Sprintf("value %v is not a finite number", v)}
		}
		return Score{Value: v}, nil
	case int64:
		return Score{Value: float64(v)}, nil
	default:
		return Score{}, &ColumnError{Column: BasketValueColumn, Reason: fmt.Sprintf("value of Go type %T, want a number", v)}
	}
}

func dot(w, x []float64) float64 {
	var s float64
	for i, xi := range x {
		if xi != 0 {
			s += w[i] * xi
		}
	}
	return s
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
