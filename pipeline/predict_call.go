package pipeline

import (
	"context"
	"errors"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/warehouse"
)

// scored is the model's answer for one row: a prediction, or the permanent reason it has none.
type scored struct {
	pred   model.Prediction
	reason error // non-nil: the model refused the row
}

// score asks the model for every row, rowsPerCall rows per request and up to concurrency requests at a time,
// retrying what a retry can fix. Rows the model refuses permanently get their reason; the others go on.
func score(ctx context.Context, m model.Model, b warehouse.Batch, rowsPerCall, concurrency int, retry Backoff) ([]scored, error) {
	out := make([]scored, len(b.Rows))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	step := max(rowsPerCall, 1)
	for lo := 0; lo < len(b.Rows); lo += step {
		hi := min(lo+step, len(b.Rows))
		g.Go(func() error { return scoreChunk(ctx, m, b.Schema, b.Rows[lo:hi], out[lo:hi], retry) })
	}
	return out, g.Wait()
}

// scoreChunk predicts rows into out. When the model names rows it can never predict, those rows get their
// reason and the rest are asked again.
func scoreChunk(ctx context.Context, m model.Model, schema warehouse.Schema, rows []warehouse.Row, out []scored, retry Backoff) error {
	pending := make([]int, len(rows)) // indexes into rows still to predict
	for i := range pending {
		pending[i] = i
	}
	for len(pending) > 0 {
		in := model.Instances{Schema: schema, Rows: make([]warehouse.Row, len(pending))}
		for i, r := range pending {
			in.Rows[i] = rows[r]
		}
		var preds []model.Prediction
		err := retry.do(ctx, func() error {
			var err error
			preds, err = m.Predict(ctx, in)
			return err
		})
		failed := model.FailedRows(err)
		if err != nil && len(failed) == 0 {
			return err
		}
		if err == nil {
			if len(preds) != len(pending) {
				return errors.New("model returned a different number of predictions than rows")
			}
			for i, r := range pending {
				out[r] = scored{pred: preds[i]}
			}
			return nil
		}
		reasons := rowReasons(err)
		var rest []int
		for i, r := range pending {
			if slices.Contains(failed, i) {
				out[r] = scored{reason: reasons[i]}
			} else {
				rest = append(rest, r)
			}
		}
		pending = rest
	}
	return nil
}

// rowReasons maps each failed row index of err to its reason.
func rowReasons(err error) map[int]error {
	out := map[int]error{}
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case *model.RowError:
			out[e.Row] = e.Err
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
