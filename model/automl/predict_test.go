package automl_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/automl"
	"github.com/pltv/pltv/model/internal/fakeautoml"
	"github.com/pltv/pltv/warehouse"
)

func deployed(t testing.TB, cfg automl.Config, m *automlpb.Model) (*fakeautoml.Server, *automl.Model) {
	t.Helper()
	srv, d := start(t, cfg, m)
	if err := d.Deploy(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.Settle()
	return srv, d
}

func TestPredictRowsInColumnOrder(t *testing.T) {
	srv, m := deployed(t, automl.Config{}, nil)
	in := instances()
	got, err := m.Predict(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	str, num, null := structpb.NewStringValue, structpb.NewNumberValue, structpb.NewNullValue
	row := func(vs ...*structpb.Value) *automlpb.PredictRequest {
		return &automlpb.PredictRequest{Name: modelName, Payload: &automlpb.ExamplePayload{Payload: &automlpb.ExamplePayload_Row{Row: &automlpb.Row{Values: vs}}}}
	}
	// revenue, country, first_day, orders, gift: the model's order, not the instances'.
	want := []*automlpb.PredictRequest{
		row(num(120.5), str("United Kingdom"), str("2011-03-01"), num(3), str("false")),
		row(num(15), str("France"), str("2011-03-02"), num(1), str("true")),
		row(num(980.25), str("EIRE"), str("2011-03-03"), num(12), str("false")),
		row(num(42), str("Germany"), str("2011-03-04"), null(), null()),
		row(num(7.75), str("Spain"), null(), num(2), str("true")),
	}
	sortRequests := cmpopts.SortSlices(func(a, b *automlpb.PredictRequest) bool {
		return a.GetPayload().GetRow().GetValues()[0].GetNumberValue() < b.GetPayload().GetRow().GetValues()[0].GetNumberValue()
	})
	if diff := cmp.Diff(want, srv.PredictRequests(), protocmp.Transform(), sortRequests); diff != "" {
		t.Errorf("Predict requests, one per row (-want +got):\n%s", diff)
	}
	for i, req := range want {
		v := fakeautoml.Score(req.GetPayload().GetRow())
		wantPred := model.Prediction{Value: v, Fields: map[string]any{"lower_bound": v - 1, "upper_bound": v + 1}}
		if diff := cmp.Diff(wantPred, got[i]); diff != "" {
			t.Errorf("prediction %d (-want +got):\n%s", i, diff)
		}
	}
}

func TestPredictReadsFeaturesOnce(t *testing.T) {
	srv, m := deployed(t, automl.Config{}, nil)
	before := srv.Calls(fakeautoml.MethodGetModel)
	for range 3 {
		if _, err := m.Predict(context.Background(), instances()); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Calls(fakeautoml.MethodGetModel) - before; n != 1 {
		t.Errorf("GetModel called %d times for three predictions, want 1", n)
	}
}

func TestPredictMissingFeature(t *testing.T) {
	_, m := deployed(t, automl.Config{}, nil)
	in := instances()
	in.Schema[3].Name = "turnover" // revenue is gone
	_, err := m.Predict(context.Background(), in)
	if err == nil || model.FailedRows(err) != nil || model.IsRetryable(err) {
		t.Errorf("Predict() without a feature column = %v, want a permanent error naming no row", err)
	}
}

// TestPredictConcurrency holds the first calls until Concurrency of them are in flight, and checks that
// never more are.
func TestPredictConcurrency(t *testing.T) {
	const limit = 3
	srv, m := deployed(t, automl.Config{Concurrency: limit}, nil)
	var (
		mu             sync.Mutex
		inFlight, most int
		gate           = make(chan struct{})
		gateOpen       bool
		calls          int
	)
	srv.SetPredictor(func(md *automlpb.Model, row *automlpb.Row) ([]*automlpb.AnnotationPayload, error) {
		mu.Lock()
		inFlight++
		calls++
		most = max(most, inFlight)
		if inFlight == limit && !gateOpen {
			gateOpen = true
			close(gate)
		}
		mu.Unlock()
		select {
		case <-gate:
		case <-time.After(10 * time.Second): // only if the driver never reaches the limit; the test then fails
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
		return fakeautoml.Regression(md, row)
	})
	in := instances().Select([]int{0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1})
	if _, err := m.Predict(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if most != limit || calls != len(in.Rows) {
		t.Errorf("%d calls with at most %d in flight, want %d calls with at most %d", calls, most, len(in.Rows), limit)
	}
}

func TestPredictDecode(t *testing.T) {
	tables := func(ts ...*automlpb.TablesAnnotation) []*automlpb.AnnotationPayload {
		out := make([]*automlpb.AnnotationPayload, len(ts))
		for i, t := range ts {
			out[i] = &automlpb.AnnotationPayload{Detail: &automlpb.AnnotationPayload_Tables{Tables: t}}
		}
		return out
	}
	class := func(c string, s float32) *automlpb.TablesAnnotation {
		return &automlpb.TablesAnnotation{Value: structpb.NewStringValue(c), Score: s}
	}
	tests := []struct {
		name    string
		cfg     automl.Config
		answer  []*automlpb.AnnotationPayload
		want    model.Prediction
		wantErr bool
	}{
		{"regression without interval", automl.Config{}, tables(&automlpb.TablesAnnotation{Value: structpb.NewNumberValue(12)}),
			model.Prediction{Value: 12}, false},
		{"regression with interval", automl.Config{}, tables(&automlpb.TablesAnnotation{Value: structpb.NewNumberValue(12),
			PredictionInterval: &automlpb.DoubleRange{Start: 10, End: 15}}),
			model.Prediction{Value: 12, Fields: map[string]any{"lower_bound": 10.0, "upper_bound": 15.0}}, false},
		{"classification", automl.Config{PositiveClass: "1"}, tables(class("1", 0.75), class("0", 0.25)),
			model.Prediction{Value: 0.75, Fields: map[string]any{"classes": []any{"1", "0"}, "scores": []any{0.75, 0.25}}}, false},
		{"classification without a positive class", automl.Config{}, tables(class("1", 0.75), class("0", 0.25)), model.Prediction{}, true},
		{"unknown positive class", automl.Config{PositiveClass: "yes"}, tables(class("1", 0.75)), model.Prediction{}, true},
		{"no annotation", automl.Config{}, nil, model.Prediction{}, true},
		{"two regression values", automl.Config{}, tables(&automlpb.TablesAnnotation{Value: structpb.NewNumberValue(1)},
			&automlpb.TablesAnnotation{Value: structpb.NewNumberValue(2)}), model.Prediction{}, true},
		{"boolean value", automl.Config{}, tables(&automlpb.TablesAnnotation{Value: structpb.NewBoolValue(true)}), model.Prediction{}, true},
		{"not a tables annotation", automl.Config{}, []*automlpb.AnnotationPayload{{DisplayName: "x"}}, model.Prediction{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, m := deployed(t, tt.cfg, nil)
			srv.SetPredictor(func(md *automlpb.Model, row *automlpb.Row) ([]*automlpb.AnnotationPayload, error) {
				if row.GetValues()[1].GetStringValue() == "France" {
					return tt.answer, nil
				}
				return fakeautoml.Regression(md, row)
			})
			got, err := m.Predict(context.Background(), instances())
			if tt.wantErr {
				var re *model.RowError
				if !errors.As(err, &re) || re.Row != 1 || model.IsRetryable(err) || len(model.FailedRows(err)) != 1 {
					t.Fatalf("Predict() = %v, want a permanent RowError for row 1 only", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got[1], cmpopts.EquateApprox(0, 1e-6)); diff != "" {
				t.Errorf("prediction (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPredictClassificationModel(t *testing.T) {
	srv, m := deployed(t, automl.Config{PositiveClass: "1"}, nil)
	srv.SetPredictor(fakeautoml.Classification)
	got, err := m.Predict(context.Background(), instances())
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range got {
		if p.Value <= 0 || p.Value >= 1 {
			t.Errorf("row %d: probability %v outside (0, 1)", i, p.Value)
		}
	}
}

func TestPredictRowValuesRefusedBeforeSending(t *testing.T) {
	srv, m := deployed(t, automl.Config{}, nil)
	in := instances()
	in.Schema[3].Type = warehouse.String // revenue read as text
	in.Rows = []warehouse.Row{{"c1", "UK", int64(1), "12.5", true, nil}, {"c2", "UK", int64(1), "n/a", true, nil}}
	_, err := m.Predict(context.Background(), in)
	if diff := cmp.Diff([]int{1}, model.FailedRows(err)); diff != "" {
		t.Errorf("FailedRows(%v) (-want +got):\n%s", err, diff)
	}
	if n := len(srv.PredictRequests()); n != 1 {
		t.Errorf("%d Predict requests, want 1 (the row that encodes)", n)
	}
}
