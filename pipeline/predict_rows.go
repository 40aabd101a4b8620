package pipeline

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/warehouse"
)

// ErrorsTable is the table of rows the model refused, per date: prediction_errors_D.
const ErrorsTable = "prediction_errors"

// ErrorsSchema is the schema of prediction_errors_D.
func ErrorsSchema() warehouse.Schema {
	return warehouse.Schema{
		{Name: "date", Type: warehouse.String, Mode: warehouse.Required},
		{Name: "batch", Type: warehouse.Integer, Mode: warehouse.Required},
		{Name: "clientId", Type: warehouse.String},
		{Name: "orderId", Type: warehouse.String},
		{Name: "reason", Type: warehouse.String, Mode: warehouse.Required},
	}
}

// predictionRows runs the formula and row hooks over the scored rows and checks every row against the schema
// hook's schema, so that nothing is written when the hooks and the schema disagree.
func (p *Pipeline) predictionRows(ctx context.Context, date string, batch int, in warehouse.Batch, s []scored) (rows, failed []warehouse.Row, err error) {
	schema := p.Hooks.PredictionsSchema()
	for i, sc := range s {
		pr := hooks.Prediction{Date: date, Schema: in.Schema, Row: in.Rows[i]}
		if sc.reason != nil {
			failed = append(failed, warehouse.Row{date, int64(batch), str(pr.Get("clientId")), str(pr.Get("orderId")), sc.reason.Error()})
			continue
		}
		pr.Value, pr.Extra = sc.pred.Value, numbers(sc.pred.Fields)
		values, err := p.Hooks.ApplyFormulas(ctx, pr)
		if err != nil {
			return nil, nil, fmt.Errorf("formula hook, order %v: %w", pr.Get("orderId"), err)
		}
		row, err := p.Hooks.CreateRow(ctx, pr, values)
		if err != nil {
			return nil, nil, fmt.Errorf("row hook, order %v: %w", pr.Get("orderId"), err)
		}
		if err := checkRow(schema, row); err != nil {
			return nil, nil, fmt.Errorf("row hook, order %v, does not fit the predictions schema hook: %w", pr.Get("orderId"), err)
		}
		rows = append(rows, row)
	}
	return rows, failed, nil
}

// checkRow checks a row's arity, its values' types and its REQUIRED columns against a schema.
func checkRow(schema warehouse.Schema, row warehouse.Row) error {
	if len(row) != len(schema) {
		return fmt.Errorf("%d values for %d columns", len(row), len(schema))
	}
	for i, f := range schema {
		v := row[i]
		if v == nil {
			if f.Mode == warehouse.Required {
				return fmt.Errorf("column %s is REQUIRED but the value is NULL", f.Name)
			}
			continue
		}
		ok := true
		switch f.Type {
		case warehouse.String:
			_, ok = v.(string)
		case warehouse.Integer:
			_, ok = v.(int64)
		case warehouse.Float:
			switch x := v.(type) {
			case float64:
				ok = !math.IsNaN(x) && !math.IsInf(x, 0)
			case int64:
			default:
				ok = false
			}
		case warehouse.Boolean:
			_, ok = v.(bool)
		case warehouse.DateType:
			_, ok = v.(warehouse.Date)
		case warehouse.Timestamp:
			_, ok = v.(time.Time)
		}
		if !ok {
			return fmt.Errorf("column %s (%s): value %v of type %T", f.Name, f.Type, v, v)
		}
	}
	return nil
}

func numbers(fields map[string]any) map[string]float64 {
	var out map[string]float64
	for k, v := range fields {
		if f, ok := v.(float64); ok {
			if out == nil {
				out = map[string]float64{}
			}
			out[k] = f
		}
	}
	return out
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}
