package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/warehouse"
)

// The columns a batch prediction adds to the source's.
const (
	PredictedValueColumn  = "predicted_value"  // NULL for a row that could not be predicted
	PredictionErrorColumn = "prediction_error" // why, for such a row; NULL otherwise
)

// batchRows is how many rows a batch prediction reads and writes at a time.
const batchRows = 5000

// BatchPredict predicts every row of the source table into a new table of the destination dataset: the
// source's columns, then predicted_value, p_return, value_if_return and prediction_error. It reads the
// model file itself: like a batch job on Vertex AI, it needs no deployment. A row that cannot be predicted
// is written with a NULL value and the reason, and counted as failed; a source without a feature's column
// fails the whole job.
func (m *Model) BatchPredict(ctx context.Context, job model.BatchJob) (model.BatchResult, error) {
	res := model.BatchResult{Succeeded: 0, Failed: 0}
	if m.opts.WH == nil {
		return res, fmt.Errorf("local model %s batch predict: no warehouse: %w", m.opts.Name, model.ErrUnsupported)
	}
	src := job.Source
	if src.Dataset == "" || src.Table == "" || job.Destination.Dataset == "" {
		return res, fmt.Errorf("local model %s batch predict: source table and destination dataset are required", m.opts.Name)
	}
	out, err := m.batchPredict(ctx, job)
	if err != nil {
		return res, fmt.Errorf("local model %s batch predict %s: %w", m.opts.Name, src, err)
	}
	m.log.InfoContext(ctx, "batch prediction done", "model", m.opts.Name, "source", src.String(),
		"output", out.Predictions.String(), "succeeded", out.Succeeded, "failed", out.Failed)
	return out, nil
}

func (m *Model) batchPredict(ctx context.Context, job model.BatchJob) (model.BatchResult, error) {
	res := model.BatchResult{}
	f, err := m.load()
	if err != nil {
		return res, err
	}
	info, err := m.opts.WH.Table(ctx, job.Source)
	if err != nil {
		return res, err
	}
	if info.State == warehouse.Missing {
		return res, fmt.Errorf("the source table is missing")
	}
	s, err := f.Scorer(info.Schema)
	if err != nil {
		return res, err
	}
	schema := append(warehouse.Schema{}, info.Schema...)
	schema = append(schema,
		warehouse.Field{Name: PredictedValueColumn, Type: warehouse.Float},
		warehouse.Field{Name: FieldPReturn, Type: warehouse.Float},
		warehouse.Field{Name: FieldValueIfReturn, Type: warehouse.Float},
		warehouse.Field{Name: PredictionErrorColumn, Type: warehouse.String},
	)
	for i := range schema {
		schema[i].Mode = warehouse.Nullable
	}
	res.Predictions = job.Destination.Table(m.outputTable(job.Source))
	if err := m.opts.WH.Drop(ctx, res.Predictions); err != nil {
		return res, err
	}
	if err := m.opts.WH.Insert(ctx, res.Predictions, schema, nil); err != nil {
		return res, err
	}
	err = m.opts.WH.Read(ctx, warehouse.ReadRequest{Table: &job.Source, BatchSize: batchRows}, func(b warehouse.Batch) error {
		rows := make([]warehouse.Row, len(b.Rows))
		for i, r := range b.Rows {
			row := make(warehouse.Row, len(r), len(r)+4)
			copy(row, r)
			sc, err := s.Score(r)
			switch {
			case err != nil:
				res.Failed++
				row = append(row, nil, nil, nil, err.Error())
			case sc.Parts:
				res.Succeeded++
				row = append(row, sc.Value, sc.PReturn, sc.ValueIfReturn, nil)
			default:
				res.Succeeded++
				row = append(row, sc.Value, nil, nil, nil)
			}
			rows[i] = row
		}
		return m.opts.WH.Insert(ctx, res.Predictions, schema, rows)
	})
	return res, err
}

// outputTable names a batch prediction's output: batch_predictions_<source>_x<random hex>, new for every job.
func (m *Model) outputTable(src warehouse.Ref) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return "batch_predictions_" + src.Table + "_x" + hex.EncodeToString(b)
}
