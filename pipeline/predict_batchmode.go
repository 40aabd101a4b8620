package pipeline

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/warehouse"
)

// PredictedValueColumn is the column of the load-predictions query that holds the predicted value.
const PredictedValueColumn = "predicted_value"

// PredictBatchMode predicts a whole date with one batch prediction job (MODEL_MODE batch) and waits for it,
// then post-processes: the load-predictions hook reads the output, the formula and row hooks make the
// predictions rows, which are swapped into predictions_D, the job's output table is dropped, and the
// completion hook runs. It is for running the stages directly (pltv run); the daily workflow starts the
// job (StartBatchMode), polls it (CheckBatchMode) and runs the completion hook once itself.
func (p *Pipeline) PredictBatchMode(ctx context.Context, date string) (Result, error) {
	res, err := p.predictBatchMode(ctx, date)
	if err != nil {
		return res, fmt.Errorf("batch predict %s: %w", date, err)
	}
	return res, nil
}

func (p *Pipeline) predictBatchMode(ctx context.Context, date string) (Result, error) {
	if _, err := ParseDate(date); err != nil {
		return Result{}, err
	}
	src := p.ltv().Shard(NewCustomersTransactions, date)
	if skip, err := p.skipUnlessRows(ctx, StagePredict, date, src); skip != nil || err != nil {
		return derefResult(skip), err
	}
	m, err := p.batchModel(ctx, date)
	if err != nil {
		return Result{}, err
	}
	out, err := m.BatchPredict(ctx, model.BatchJob{Source: src, Destination: p.ltv(), Labels: p.labels(StagePredict, date)})
	if err != nil {
		return Result{}, err
	}
	res, err := p.finishBatchMode(ctx, date, out.Predictions)
	if err != nil {
		return res, err
	}
	_, err = p.Complete(ctx, date)
	return res, err
}

// postProcess stages the predictions rows made from a batch prediction's output as batch 0 of the date.
func (p *Pipeline) postProcess(ctx context.Context, date string, output warehouse.Ref) error {
	v := p.vars(date)
	v.BatchOutput = output.Table
	q, err := p.SQL.Render(hooks.LoadPredictions, v)
	if err != nil {
		return err
	}
	staged, failedT := p.batchTable(Predictions, date, 0), p.batchTable(ErrorsTable, date, 0)
	for _, t := range []warehouse.Ref{staged, failedT} {
		if err := p.WH.Drop(ctx, t); err != nil {
			return err
		}
	}
	err = p.WH.Read(ctx, warehouse.ReadRequest{SQL: q.Text, BatchSize: max(p.Settings.BatchSize, 1)}, func(b warehouse.Batch) error {
		col := b.Schema.Index(PredictedValueColumn)
		if col < 0 {
			return fmt.Errorf("hook template %s: the query has no %s column", q.Origin, PredictedValueColumn)
		}
		s := make([]scored, len(b.Rows))
		for i, r := range b.Rows {
			switch x := r[col].(type) {
			case float64:
				s[i].pred.Value = x
			case int64:
				s[i].pred.Value = float64(x)
			default:
				s[i].reason = fmt.Errorf("%s is %v (%T), not a number", PredictedValueColumn, r[col], r[col])
			}
		}
		rows, failed, err := p.predictionRows(ctx, date, 0, b, s)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := p.WH.Insert(ctx, staged, p.Hooks.PredictionsSchema(), rows); err != nil {
				return err
			}
		}
		if len(failed) > 0 {
			return p.WH.Insert(ctx, failedT, ErrorsSchema(), failed)
		}
		return nil
	})
	if err != nil {
		return templateError(q, err)
	}
	return nil
}
