package automl

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
)

// Predict sends one Row per request, Concurrency requests at a time, with the row's values in the order
// of the model's input feature columns, and returns the predictions in row order. A row the service
// refuses as invalid, or answers in a shape that holds no value, is named by a RowError and the other rows
// still run; any other failure ends the whole call.
func (m *Model) Predict(ctx context.Context, in model.Instances) ([]model.Prediction, error) {
	if len(in.Rows) == 0 {
		return []model.Prediction{}, nil
	}
	if err := in.Validate(); err != nil {
		return nil, fmt.Errorf("automl predict: %w", err)
	}
	features, err := m.featureColumns(ctx)
	if err != nil {
		return nil, err
	}
	enc, err := newEncoder(features, in.Schema)
	if err != nil {
		return nil, fmt.Errorf("automl predict %s: %w", m.name, err)
	}
	var (
		out    = make([]model.Prediction, len(in.Rows))
		mu     sync.Mutex
		rowErr []*model.RowError
	)
	fail := func(e *model.RowError) {
		mu.Lock()
		defer mu.Unlock()
		rowErr = append(rowErr, e)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(m.cfg.Concurrency)
	for i, r := range in.Rows {
		row, err := enc.row(r)
		if err != nil {
			fail(&model.RowError{Row: i, Err: err})
			continue
		}
		g.Go(func() error {
			p, err := m.predictRow(gctx, row)
			var re *model.RowError
			switch {
			case errors.As(err, &re):
				re.Row = i
				fail(re)
			case err != nil:
				return fmt.Errorf("automl predict row %d: %w", i, err)
			default:
				out[i] = p
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := model.JoinRowErrors(rowErr); err != nil {
		return nil, fmt.Errorf("automl predict: %w", err)
	}
	return out, nil
}

// predictRow predicts one row. A failure tied to the row is a *RowError whose Row the caller sets.
func (m *Model) predictRow(ctx context.Context, row *automlpb.Row) (model.Prediction, error) {
	resp, err := m.predictions.Predict(ctx, &automlpb.PredictRequest{
		Name:    m.name,
		Payload: &automlpb.ExamplePayload{Payload: &automlpb.ExamplePayload_Row{Row: row}},
	})
	switch code := gcperr.Code(err); {
	case err == nil:
	case code == codes.InvalidArgument:
		return model.Prediction{}, &model.RowError{Err: fmt.Errorf("refused by the model: %w", err)}
	case code == codes.FailedPrecondition:
		return model.Prediction{}, fmt.Errorf("%w: %w", model.ErrNotDeployed, err)
	default:
		return model.Prediction{}, gcperr.Wrap("predict", err)
	}
	p, err := m.decode(resp.GetPayload())
	if err != nil {
		return model.Prediction{}, &model.RowError{Err: err}
	}
	return p, nil
}

var errShape = errors.New("prediction of the wrong shape")

// decode reads a Predict answer: one tables annotation with a number (regression, with its prediction
// interval as lower_bound and upper_bound), or one annotation per class with its score (classification,
// as "classes" and "scores", the value being PositiveClass's score).
func (m *Model) decode(payload []*automlpb.AnnotationPayload) (model.Prediction, error) {
	if len(payload) == 0 {
		return model.Prediction{}, fmt.Errorf("%w: no annotation", errShape)
	}
	var classes, scores []any
	for _, ap := range payload {
		t := ap.GetTables()
		if t == nil {
			return model.Prediction{}, fmt.Errorf("%w: an annotation that is not a tables annotation", errShape)
		}
		switch v := t.GetValue().GetKind().(type) {
		case *structpb.Value_NumberValue:
			if len(payload) != 1 {
				return model.Prediction{}, fmt.Errorf("%w: %d annotations for a regression", errShape, len(payload))
			}
			p := model.Prediction{Value: v.NumberValue}
			if iv := t.GetPredictionInterval(); iv != nil {
				p.Fields = map[string]any{"lower_bound": iv.GetStart(), "upper_bound": iv.GetEnd()}
			}
			return p, nil
		case *structpb.Value_StringValue:
			classes = append(classes, v.StringValue)
			scores = append(scores, float64(t.GetScore()))
		default:
			return model.Prediction{}, fmt.Errorf("%w: a tables annotation without a number or a class", errShape)
		}
	}
	fields := map[string]any{"classes": classes, "scores": scores}
	for i, c := range classes {
		if c == m.cfg.PositiveClass && m.cfg.PositiveClass != "" {
			return model.Prediction{Value: scores[i].(float64), Fields: fields}, nil
		}
	}
	return model.Prediction{}, fmt.Errorf("%w: no score for the positive class %q among %v", errShape, m.cfg.PositiveClass, classes)
}

// featureColumns returns the model's input feature columns, reading them once.
func (m *Model) featureColumns(ctx context.Context) ([]*automlpb.ColumnSpec, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.features != nil {
		return m.features, nil
	}
	got, err := m.models.GetModel(ctx, &automlpb.GetModelRequest{Name: m.name})
	if err != nil {
		return nil, gcperr.Wrap("automl get model "+m.name, err)
	}
	specs := got.GetTablesModelMetadata().GetInputFeatureColumnSpecs()
	if len(specs) == 0 {
		return nil, fmt.Errorf("automl model %s: not a tables model with input feature columns", m.name)
	}
	m.features = specs
	return specs, nil
}
