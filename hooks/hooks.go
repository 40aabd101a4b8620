package hooks

import (
	"context"

	"github.com/pltv/pltv/warehouse"
)

// Hooks are the row-level customisation points of the prediction stages. Implementations embed Base.
type Hooks interface {
	// ApplyFormulas turns a prediction into the conversion values written to predictions_D
	// (conversionValue..conversionValue5), e.g. to tune the value or apply thresholds.
	ApplyFormulas(ctx context.Context, p Prediction) (ConversionValues, error)
	// CreateRow builds the predictions_D row for a prediction, in PredictionsSchema order.
	CreateRow(ctx context.Context, p Prediction, v ConversionValues) (warehouse.Row, error)
	// PredictionsSchema is the schema of predictions_D.
	PredictionsSchema() warehouse.Schema
	// PostStop runs after the model has been undeployed (e.g. copy a table to another project).
	PostStop(ctx context.Context) error
	// OnCompletion runs when the predictions for a date are written (e.g. start an upload).
	OnCompletion(ctx context.Context, c Completion) error
}

// RowPreparer is implemented by hooks that rewrite prepared rows in Go after the prepare SQL ran. The prepare
// stage then streams the SQL result through PrepareRows batch by batch; the returned batches must all have the
// same schema.
type RowPreparer interface {
	PrepareRows(ctx context.Context, date string, in warehouse.Batch) (warehouse.Batch, error)
}

// Prediction is one scored row: the row the model saw, and what it said.
type Prediction struct {
	Date   string           // the run date
	Schema warehouse.Schema // the columns of Row
	Row    warehouse.Row    // the filtered row, as the batch query returned it
	Value  float64          // the predicted lifetime value
	Extra  map[string]float64
}

// Get returns the row's value of the named column, or nil.
func (p Prediction) Get(column string) any {
	if i := p.Schema.Index(column); i >= 0 && i < len(p.Row) {
		return p.Row[i]
	}
	return nil
}

// ConversionValues are conversionValue..conversionValue5.
type ConversionValues [5]float64

// Completion says what a finished date produced.
type Completion struct {
	Date        string
	Predictions warehouse.Ref
	Rows        int64
	Errors      int64
}

// Base is the no-op implementation of Hooks: the predicted value is every conversion value, rows follow
// DefaultPredictionsSchema, and stop and completion do nothing.
type Base struct{}

var _ Hooks = Base{}

// ApplyFormulas uses the predicted value, never below zero, for every conversion value.
func (Base) ApplyFormulas(_ context.Context, p Prediction) (ConversionValues, error) {
	v := max(p.Value, 0)
	return ConversionValues{v, v, v, v, v}, nil
}

// CreateRow builds a DefaultPredictionsSchema row from the row's clientId, orderId, gclid and date.
func (Base) CreateRow(_ context.Context, p Prediction, v ConversionValues) (warehouse.Row, error) {
	row := warehouse.Row{str(p.Get("clientId")), str(p.Get("orderId")), str(p.Get("gclid")), p.Date}
	for _, x := range v {
		row = append(row, x)
	}
	return row, nil
}

// PredictionsSchema returns DefaultPredictionsSchema.
func (Base) PredictionsSchema() warehouse.Schema { return DefaultPredictionsSchema() }

// PostStop does nothing.
func (Base) PostStop(context.Context) error { return nil }

// OnCompletion does nothing.
func (Base) OnCompletion(context.Context, Completion) error { return nil }

// DefaultPredictionsSchema is the predictions table the uploaders expect: clientId, orderId, gclid, date,
// conversionValue..conversionValue5, all REQUIRED.
func DefaultPredictionsSchema() warehouse.Schema {
	s := warehouse.Schema{
		{Name: "clientId", Type: warehouse.String, Mode: warehouse.Required},
		{Name: "orderId", Type: warehouse.String, Mode: warehouse.Required},
		{Name: "gclid", Type: warehouse.String, Mode: warehouse.Required},
		{Name: "date", Type: warehouse.String, Mode: warehouse.Required},
		{Name: "conversionValue", Type: warehouse.Float, Mode: warehouse.Required},
	}
	for _, n := range []string{"2", "3", "4", "5"} {
		s = append(s, warehouse.Field{Name: "conversionValue" + n, Type: warehouse.Float, Mode: warehouse.Required})
	}
	return s
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}
