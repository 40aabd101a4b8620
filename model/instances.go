package model

import (
	"fmt"
	"math"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// Instances are the rows to predict: the model's features, named and typed by Schema, with each row's
// values in schema order. A warehouse.Batch converts directly: model.Instances(batch).
type Instances struct {
	Schema warehouse.Schema
	Rows   []warehouse.Row
}

// Validate checks every row against the schema: its arity, and each value's Go type against its column's
// type (nil is always accepted; integers are accepted in FLOAT columns; NaN and infinities are refused).
// It returns the failing rows joined (see FailedRows), or nil.
func (in Instances) Validate() error {
	if len(in.Schema) == 0 && len(in.Rows) > 0 {
		return fmt.Errorf("instances: rows without a schema")
	}
	var errs []*RowError
	for i, row := range in.Rows {
		if err := in.validateRow(row); err != nil {
			errs = append(errs, &RowError{Row: i, Err: err})
		}
	}
	return JoinRowErrors(errs)
}

func (in Instances) validateRow(row warehouse.Row) error {
	if len(row) != len(in.Schema) {
		return fmt.Errorf("%d values for %d features", len(row), len(in.Schema))
	}
	for j, v := range row {
		f := in.Schema[j]
		if err := checkValue(f.Type, v); err != nil {
			return fmt.Errorf("feature %s (%s): %w", f.Name, f.Type, err)
		}
	}
	return nil
}

func checkValue(t warehouse.FieldType, v any) error {
	if v == nil {
		return nil
	}
	ok := false
	switch t {
	case warehouse.String:
		_, ok = v.(string)
	case warehouse.Integer:
		_, ok = v.(int64)
	case warehouse.Float:
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("value %v is not a finite number", x)
			}
			ok = true
		case int64:
			ok = true
		}
	case warehouse.Boolean:
		_, ok = v.(bool)
	case warehouse.DateType:
		_, ok = v.(warehouse.Date)
	case warehouse.Timestamp:
		_, ok = v.(time.Time)
	default:
		return fmt.Errorf("unsupported feature type")
	}
	if !ok {
		return fmt.Errorf("value of Go type %T", v)
	}
	return nil
}

// Select returns the instances restricted to the given rows, in that order.
func (in Instances) Select(rows []int) Instances {
	out := Instances{Schema: in.Schema, Rows: make([]warehouse.Row, len(rows))}
	for i, r := range rows {
		out.Rows[i] = in.Rows[r]
	}
	return out
}

// Prediction is the model's answer for one row.
type Prediction struct {
	// Value is the predicted value: the lifetime value for a regression model, or the configured class's
	// score for a classification model.
	Value float64
	// Fields are the model's other outputs, keyed by the names the model gives them, with JSON-like values
	// (float64, string, bool, []any, map[string]any). Tabular models on Vertex AI and AutoML Tables give
	// "lower_bound" and "upper_bound" for regression and "classes" and "scores" for classification; a
	// custom model may give, say, "probability" (of the customer returning). Nil when there are none.
	Fields map[string]any
}

// Number returns a numeric field of the prediction.
func (p Prediction) Number(name string) (float64, bool) {
	v, ok := p.Fields[name].(float64)
	return v, ok
}
