package local

import (
	"context"
	"errors"
	"fmt"

	"github.com/pltv/pltv/model"
)

// Prediction fields of a two-part model.
const (
	FieldPReturn       = "p_return"        // the probability that the customer buys again within the horizon
	FieldValueIfReturn = "value_if_return" // the value expected from those purchases, if they happen
)

// Predict predicts the rows with the deployed model, taking the feature columns by name. Rows whose values
// do not fit the schema, and every row when a feature's column is missing or of the wrong type, fail with
// RowError values naming the row and the column.
func (m *Model) Predict(ctx context.Context, in model.Instances) ([]model.Prediction, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("local model %s predict: %w", m.opts.Name, err)
	}
	f := m.dep.serving(m.opts.Clock.Now())
	if f == nil {
		return nil, fmt.Errorf("local model %s predict: %w", m.opts.Name, model.ErrNotDeployed)
	}
	out, err := predict(f, in)
	if err != nil {
		return nil, fmt.Errorf("local model %s predict: %w", m.opts.Name, err)
	}
	return out, nil
}

func predict(f *File, in model.Instances) ([]model.Prediction, error) {
	if len(in.Rows) == 0 {
		return []model.Prediction{}, nil
	}
	failed := map[int]bool{}
	var errs []*model.RowError
	if err := in.Validate(); err != nil {
		rows := model.FailedRows(err)
		if len(rows) == 0 {
			return nil, err // the instances as a whole are wrong (rows without a schema)
		}
		for _, r := range rows {
			failed[r] = true
		}
		errs = rowErrors(err)
	}
	s, err := f.Scorer(in.Schema)
	if err != nil {
		var ce *ColumnError
		if !errors.As(err, &ce) {
			return nil, err
		}
		for i := range in.Rows {
			if !failed[i] {
				errs = append(errs, &model.RowError{Row: i, Err: err})
			}
		}
		return nil, model.JoinRowErrors(errs)
	}
	out := make([]model.Prediction, len(in.Rows))
	for i, row := range in.Rows {
		if failed[i] {
			continue
		}
		sc, err := s.Score(row)
		if err != nil {
			errs = append(errs, &model.RowError{Row: i, Err: err})
			continue
		}
		out[i] = prediction(sc)
	}
	if len(errs) > 0 {
		return nil, model.JoinRowErrors(errs)
	}
	return out, nil
}

func prediction(sc Score) model.Prediction {
	p := model.Prediction{Value: sc.Value}
	if sc.Parts {
		p.Fields = map[string]any{FieldPReturn: sc.PReturn, FieldValueIfReturn: sc.ValueIfReturn}
	}
	return p
}

// rowErrors returns the RowError values that err joins.
func rowErrors(err error) []*model.RowError {
	var out []*model.RowError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case *model.RowError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	return out
}
