package vertex_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/fakevertex"
	"github.com/pltv/pltv/model/vertex"
	"github.com/pltv/pltv/warehouse"
)

// deployedModel starts a fake and a driver with cfg and deploys the model.
func deployedModel(t testing.TB, cfg vertex.Config) (*fakevertex.Server, *vertex.Model) {
	t.Helper()
	srv, m := start(t, cfg)
	if err := m.Deploy(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.Settle()
	return srv, m
}

func withNames(cfg vertex.Config) vertex.Config {
	cfg.Project, cfg.Location, cfg.Endpoint, cfg.Model = project, location, "77", "1234"
	return cfg
}

func TestPredictInstances(t *testing.T) {
	at := time.Date(2011, 3, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	in := model.Instances{
		Schema: warehouse.Schema{
			{Name: "country", Type: warehouse.String}, {Name: "orders", Type: warehouse.Integer},
			{Name: "revenue", Type: warehouse.Float}, {Name: "gift", Type: warehouse.Boolean},
			{Name: "first_day", Type: warehouse.DateType}, {Name: "first_at", Type: warehouse.Timestamp},
		},
		Rows: []warehouse.Row{
			{"France", int64(3), 12.5, true, warehouse.Date{Year: 2011, Month: 3, Day: 1}, at},
			{nil, nil, int64(7), nil, nil, nil},
		},
	}
	str, num, null := structpb.NewStringValue, structpb.NewNumberValue, structpb.NewNullValue
	obj := func(f map[string]*structpb.Value) *structpb.Value {
		return structpb.NewStructValue(&structpb.Struct{Fields: f})
	}
	list := func(vs ...*structpb.Value) *structpb.Value {
		return structpb.NewListValue(&structpb.ListValue{Values: vs})
	}
	tests := []struct {
		name     string
		encoding vertex.Encoding
		want     []*structpb.Value
	}{
		{"objects", vertex.Object, []*structpb.Value{
			obj(map[string]*structpb.Value{"country": str("France"), "orders": num(3), "revenue": num(12.5),
				"gift": structpb.NewBoolValue(true), "first_day": str("2011-03-01"), "first_at": str("2011-03-01T08:30:00Z")}),
			obj(map[string]*structpb.Value{"country": null(), "orders": null(), "revenue": num(7), "gift": null(),
				"first_day": null(), "first_at": null()}),
		}},
		{"arrays", vertex.Array, []*structpb.Value{
			list(str("France"), num(3), num(12.5), structpb.NewBoolValue(true), str("2011-03-01"), str("2011-03-01T08:30:00Z")),
			list(null(), null(), num(7), null(), null(), null()),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, m := deployedModel(t, withNames(vertex.Config{Encoding: tt.encoding}))
			got, err := m.Predict(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			reqs := srv.PredictRequests()
			if len(reqs) != 1 {
				t.Fatalf("%d Predict requests, want 1", len(reqs))
			}
			if reqs[0].GetEndpoint() != endpoint {
				t.Errorf("Predict endpoint = %q, want %q", reqs[0].GetEndpoint(), endpoint)
			}
			if diff := cmp.Diff(tt.want, reqs[0].GetInstances(), protocmp.Transform()); diff != "" {
				t.Errorf("instances sent (-want +got):\n%s", diff)
			}
			for i, inst := range tt.want {
				v := fakevertex.Score(inst)
				want := model.Prediction{Value: v, Fields: map[string]any{"lower_bound": v - 1, "upper_bound": v + 1}}
				if diff := cmp.Diff(want, got[i]); diff != "" {
					t.Errorf("prediction %d (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

func TestPredictSplitsRequests(t *testing.T) {
	srv, m := deployedModel(t, withNames(vertex.Config{MaxInstancesPerRequest: 2, Concurrency: 2}))
	in := instances()
	got, err := m.Predict(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, r := range srv.PredictRequests() {
		sizes = append(sizes, len(r.GetInstances()))
	}
	slices.Sort(sizes) // requests run concurrently and arrive in any order
	if diff := cmp.Diff([]int{1, 2, 2}, sizes); diff != "" {
		t.Errorf("request sizes (-want +got):\n%s", diff)
	}
	for i, p := range got {
		one, err := m.Predict(context.Background(), in.Select([]int{i}))
		if err != nil {
			t.Fatal(err)
		}
		if one[0].Value != p.Value {
			t.Errorf("row %d: %v in a split batch, %v alone", i, p.Value, one[0].Value)
		}
	}
}

func TestPredictDecode(t *testing.T) {
	num := structpb.NewNumberValue
	obj := func(m map[string]any) *structpb.Value {
		v, err := structpb.NewValue(m)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	classes := map[string]any{"classes": []any{"0", "1"}, "scores": []any{0.3, 0.7}}
	tests := []struct {
		name    string
		cfg     vertex.Config
		answer  *structpb.Value
		want    model.Prediction
		wantErr bool
	}{
		{"bare number", vertex.Config{}, num(4.5), model.Prediction{Value: 4.5}, false},
		{"list of one number", vertex.Config{}, structpb.NewListValue(&structpb.ListValue{Values: []*structpb.Value{num(2)}}), model.Prediction{Value: 2}, false},
		{"regression object", vertex.Config{}, obj(map[string]any{"value": 10.0, "lower_bound": 8.0, "upper_bound": 12.0}),
			model.Prediction{Value: 10, Fields: map[string]any{"lower_bound": 8.0, "upper_bound": 12.0}}, false},
		{"named value field", vertex.Config{ValueField: "predicted_ltv"}, obj(map[string]any{"predicted_ltv": 3.0, "probability": 0.4}),
			model.Prediction{Value: 3, Fields: map[string]any{"probability": 0.4}}, false},
		{"positive class score", vertex.Config{PositiveClass: "1"}, obj(classes), model.Prediction{Value: 0.7, Fields: classes}, false},
		{"unknown class", vertex.Config{PositiveClass: "yes"}, obj(classes), model.Prediction{}, true},
		{"classes without a positive class", vertex.Config{}, obj(classes), model.Prediction{}, true},
		{"string value", vertex.Config{}, obj(map[string]any{"value": "10"}), model.Prediction{}, true},
		{"a string", vertex.Config{}, structpb.NewStringValue("10"), model.Prediction{}, true},
		{"list of two", vertex.Config{}, structpb.NewListValue(&structpb.ListValue{Values: []*structpb.Value{num(1), num(2)}}), model.Prediction{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, m := deployedModel(t, withNames(tt.cfg))
			srv.SetPredictor(func(in []*structpb.Value) ([]*structpb.Value, error) {
				out := make([]*structpb.Value, len(in))
				for i := range out {
					out[i] = num(1)
				}
				out[1] = tt.answer
				return out, nil
			})
			got, err := m.Predict(context.Background(), instances())
			if tt.wantErr {
				var re *model.RowError
				if !errors.As(err, &re) || re.Row != 1 || model.IsRetryable(err) {
					t.Fatalf("Predict() = %v, want a permanent RowError for row 1", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got[1]); diff != "" {
				t.Errorf("prediction (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPredictExtraPredictions(t *testing.T) {
	srv, m := deployedModel(t, withNames(vertex.Config{}))
	srv.SetPredictor(func(in []*structpb.Value) ([]*structpb.Value, error) {
		out, err := fakevertex.DefaultPredictor(in)
		return append(out, structpb.NewNumberValue(1)), err
	})
	_, err := m.Predict(context.Background(), instances())
	if diff := cmp.Diff([]int{4}, model.FailedRows(err)); diff != "" || model.IsRetryable(err) {
		t.Errorf("Predict() = %v: failed rows (-want +got):\n%s", err, diff)
	}
}
