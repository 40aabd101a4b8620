package local_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/warehouse"
)

func TestBatchPredictWritesEveryRow(t *testing.T) {
	ctx := context.Background()
	wh, src := openWarehouse(t)
	in := testInstances()
	// A row the model cannot predict: DuckDB stores a NaN that BigQuery would refuse.
	bad := append(warehouse.Row{}, in.Rows[0]...)
	bad[0], bad[3] = "99999", math.NaN()
	if err := wh.Insert(ctx, src, in.Schema, []warehouse.Row{bad}); err != nil {
		t.Fatal(err)
	}
	opts := writeModel(t, t.TempDir(), testFile("ltv-batch"))
	opts.WH = wh
	m, err := local.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.BatchPredict(ctx, model.BatchJob{Source: src, Destination: warehouse.Dataset{Dataset: "out"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Succeeded != 5 || res.Failed != 1 || res.Predictions.Dataset != "out" ||
		!strings.HasPrefix(res.Predictions.Table, "batch_predictions_"+src.Table+"_") {
		t.Errorf("BatchPredict() = %+v, want 5 succeeded and 1 failed in out.batch_predictions_%s_…", res, src.Table)
	}
	// The same rows predicted online.
	deployed := deployedModel(t, testFile("ltv-batch"))
	online, err := deployed.Predict(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]any{"99999": {nil, nil, nil, "feature column basket_value: value NaN is not a finite number"}}
	for i, p := range online {
		want[in.Rows[i][0].(string)] = []any{p.Value, p.Fields["p_return"], p.Fields["value_if_return"], nil}
	}
	got := map[string][]any{}
	var schema warehouse.Schema
	err = wh.Read(ctx, warehouse.ReadRequest{Table: &res.Predictions}, func(b warehouse.Batch) error {
		schema = b.Schema
		for _, r := range b.Rows {
			got[r[0].(string)] = r[len(in.Schema):]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("batch output by clientId (-want +got):\n%s", diff)
	}
	var names []string
	for _, f := range schema {
		names = append(names, f.Name)
	}
	wantNames := []string{"clientId", "country", "weekday", "basket_value", "orderId", "items",
		"predicted_value", "p_return", "value_if_return", "prediction_error"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("output columns (-want +got):\n%s", diff)
	}
}

func TestBatchPredictRefuses(t *testing.T) {
	ctx := context.Background()
	wh, src := openWarehouse(t)
	noItems := warehouse.Ref{Dataset: "ltv", Table: "no_items"}
	if err := wh.Insert(ctx, noItems, warehouse.Schema{{Name: "basket_value", Type: warehouse.Float}}, []warehouse.Row{{1.0}}); err != nil {
		t.Fatal(err)
	}
	opts := writeModel(t, t.TempDir(), testFile("ltv-refuse"))
	withWH := opts
	withWH.WH = wh
	tests := []struct {
		name     string
		opts     local.Options
		job      model.BatchJob
		wantText string
		is       error
	}{
		{"no warehouse", opts, model.BatchJob{Source: src, Destination: warehouse.Dataset{Dataset: "out"}}, "no warehouse", model.ErrUnsupported},
		{"no destination", withWH, model.BatchJob{Source: src}, "destination dataset", nil},
		{"a missing source", withWH, model.BatchJob{Source: warehouse.Ref{Dataset: "ltv", Table: "nothing"}, Destination: src.DatasetOf()}, "missing", nil},
		{"a source without a feature", withWH, model.BatchJob{Source: noItems, Destination: src.DatasetOf()}, "feature column items: missing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := local.New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.BatchPredict(ctx, tt.job)
			if err == nil || !strings.Contains(err.Error(), tt.wantText) || model.IsRetryable(err) {
				t.Errorf("BatchPredict() = %v, want a permanent error saying %q", err, tt.wantText)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("BatchPredict() = %v, want %v", err, tt.is)
			}
		})
	}
}
