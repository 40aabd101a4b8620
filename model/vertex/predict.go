package vertex

import (
	"context"
	"errors"
	"fmt"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
)

// Predict sends the rows in requests of up to MaxInstancesPerRequest instances, Concurrency of them at a
// time, and returns the predictions in row order.
func (m *Model) Predict(ctx context.Context, in model.Instances) ([]model.Prediction, error) {
	if len(in.Rows) == 0 {
		return []model.Prediction{}, nil
	}
	if err := in.Validate(); err != nil {
		return nil, fmt.Errorf("vertex predict: %w", err)
	}
	out := make([]model.Prediction, len(in.Rows))
	chunks := (len(in.Rows) + m.cfg.MaxInstancesPerRequest - 1) / m.cfg.MaxInstancesPerRequest
	rowErrs := make([][]*model.RowError, chunks)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(m.cfg.Concurrency)
	for c := range chunks {
		start := c * m.cfg.MaxInstancesPerRequest
		end := min(start+m.cfg.MaxInstancesPerRequest, len(in.Rows))
		g.Go(func() error {
			// Encoded here, so that only the requests in flight hold their instances.
			instances := make([]*structpb.Value, end-start)
			for i := range instances {
				instances[i] = m.instance(in, start+i)
			}
			var err error
			rowErrs[c], err = m.predictChunk(gctx, instances, start, out[start:end])
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var all []*model.RowError
	for _, errs := range rowErrs {
		all = append(all, errs...)
	}
	if err := model.JoinRowErrors(all); err != nil {
		return nil, fmt.Errorf("vertex predict: %w", err)
	}
	return out, nil
}

// predictChunk predicts instances, which start at row start, into out. Rows whose prediction cannot be
// read come back as row errors; a failed call as the error.
func (m *Model) predictChunk(ctx context.Context, instances []*structpb.Value, start int, out []model.Prediction) ([]*model.RowError, error) {
	resp, err := m.predictions.Predict(ctx, &aiplatformpb.PredictRequest{Endpoint: m.endpoint, Instances: instances})
	if err != nil {
		op := fmt.Sprintf("vertex predict rows %d-%d", start, start+len(instances)-1)
		if gcperr.Code(err) == codes.FailedPrecondition {
			return nil, fmt.Errorf("%s: %w: %w", op, model.ErrNotDeployed, err)
		}
		return nil, gcperr.Wrap(op, err)
	}
	preds := resp.GetPredictions()
	if n := len(preds); n != len(instances) {
		row := start + min(n, len(instances)-1) // the first row left without, or the last row when there are extra
		return []*model.RowError{model.RowErrorf(row, "the model answered %d predictions for %d rows (rows %d-%d)",
			n, len(instances), start, start+len(instances)-1)}, nil
	}
	var errs []*model.RowError
	for i, p := range preds {
		pred, err := m.decode(p)
		if err != nil {
			errs = append(errs, &model.RowError{Row: start + i, Err: err})
			continue
		}
		out[i] = pred
	}
	return errs, nil
}

var errShape = errors.New("prediction of the wrong shape")

// decode reads a prediction: a bare number, a list of one number, or an object holding the value in
// ValueField (or, with PositiveClass, in the class's score); the object's other fields are kept.
func (m *Model) decode(p *structpb.Value) (model.Prediction, error) {
	switch k := p.GetKind().(type) {
	case *structpb.Value_NumberValue:
		return model.Prediction{Value: k.NumberValue}, nil
	case *structpb.Value_ListValue:
		if vs := k.ListValue.GetValues(); len(vs) == 1 {
			if n, ok := vs[0].GetKind().(*structpb.Value_NumberValue); ok {
				return model.Prediction{Value: n.NumberValue}, nil
			}
		}
		return model.Prediction{}, fmt.Errorf("%w: a list that is not one number", errShape)
	case *structpb.Value_StructValue:
		fields := k.StructValue.AsMap()
		if v, ok := fields[m.cfg.ValueField].(float64); ok {
			delete(fields, m.cfg.ValueField)
			return model.Prediction{Value: v, Fields: fields}, nil
		}
		if m.cfg.PositiveClass != "" {
			if v, ok := classScore(fields, m.cfg.PositiveClass); ok {
				return model.Prediction{Value: v, Fields: fields}, nil
			}
			return model.Prediction{}, fmt.Errorf("%w: no number %q and no score for class %q", errShape, m.cfg.ValueField, m.cfg.PositiveClass)
		}
		return model.Prediction{}, fmt.Errorf("%w: no number %q", errShape, m.cfg.ValueField)
	}
	return model.Prediction{}, fmt.Errorf("%w: %T", errShape, p.GetKind())
}

// classScore finds the score of a class in a tabular classification prediction.
func classScore(fields map[string]any, class string) (float64, bool) {
	classes, _ := fields["classes"].([]any)
	scores, _ := fields["scores"].([]any)
	if len(classes) != len(scores) {
		return 0, false
	}
	for i, c := range classes {
		if c == class {
			v, ok := scores[i].(float64)
			return v, ok
		}
	}
	return 0, false
}
