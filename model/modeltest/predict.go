package modeltest

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/model"
)

var approx = cmpopts.EquateApprox(0, 1e-9)

func predict(t *testing.T, m model.Model, in model.Instances) []model.Prediction {
	t.Helper()
	got, err := m.Predict(context.Background(), in)
	if err != nil {
		t.Fatalf("Predict(%d rows) error: %v", len(in.Rows), err)
	}
	if len(got) != len(in.Rows) {
		t.Fatalf("Predict(%d rows) returned %d predictions", len(in.Rows), len(got))
	}
	return got
}

func values(ps []model.Prediction) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = p.Value
	}
	return out
}

func testPredictArityAndOrder(t *testing.T, newFixture NewFixture, f Features) {
	fx := deployed(t, newFixture, f)
	in := fx.Instances
	if len(in.Rows) < 3 {
		t.Fatalf("Fixture.Instances has %d rows, want at least 3", len(in.Rows))
	}
	all := predict(t, fx.Model, in)
	for i, p := range all {
		if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
			t.Errorf("row %d: predicted value %v is not finite", i, p.Value)
		}
	}
	// Each row alone gets the prediction it got in the batch.
	for i := range in.Rows {
		one := predict(t, fx.Model, in.Select([]int{i}))
		if diff := cmp.Diff(all[i], one[0], approx); diff != "" {
			t.Errorf("row %d alone vs in the batch (-batch +alone):\n%s", i, diff)
		}
	}
	// Reversing the rows reverses the predictions.
	order := make([]int, len(in.Rows))
	for i := range order {
		order[i] = len(order) - 1 - i
	}
	reversed := predict(t, fx.Model, in.Select(order))
	slices.Reverse(reversed)
	if diff := cmp.Diff(values(all), values(reversed), approx); diff != "" {
		t.Errorf("predictions of the reversed rows, reversed back (-want +got):\n%s", diff)
	}
}

func testPredictEmpty(t *testing.T, newFixture NewFixture, f Features) {
	fx := deployed(t, newFixture, f)
	got, err := fx.Model.Predict(context.Background(), model.Instances{Schema: fx.Instances.Schema})
	if err != nil || len(got) != 0 {
		t.Errorf("Predict(no rows) = %d predictions, %v; want none and no error", len(got), err)
	}
}

func testPredictManyRows(t *testing.T, newFixture NewFixture, f Features) {
	fx := deployed(t, newFixture, f)
	base := values(predict(t, fx.Model, fx.Instances))
	const n = 1237 // more than one request's worth for drivers that split, and not a round number
	order := make([]int, n)
	want := make([]float64, n)
	for i := range order {
		order[i] = (i * 7) % len(fx.Instances.Rows)
		want[i] = base[order[i]]
	}
	got := values(predict(t, fx.Model, fx.Instances.Select(order)))
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("predictions of %d rows (-want +got):\n%s", n, diff)
	}
}

func testPredictInvalidRows(t *testing.T, newFixture NewFixture, f Features) {
	fx := deployed(t, newFixture, f)
	in := fx.Instances.Select([]int{0, 1, 2, 0})
	in.Rows[1] = in.Rows[1][:len(in.Rows[1])-1] // one value short
	bad := slices.Clone(in.Rows[2])
	bad[0] = struct{}{} // a value no column type takes
	in.Rows[2] = bad
	_, err := fx.Model.Predict(context.Background(), in)
	if diff := cmp.Diff([]int{1, 2}, model.FailedRows(err)); diff != "" {
		t.Errorf("FailedRows(%v) (-want +got):\n%s", err, diff)
	}
	if model.IsRetryable(err) {
		t.Errorf("IsRetryable(%v) = true for invalid rows", err)
	}
	var re *model.RowError
	if !errors.As(err, &re) || re.Row != 1 {
		t.Errorf("errors.As(%v, *RowError) did not find row 1", err)
	}
}

func testRetryableFaults(t *testing.T, newFixture NewFixture, f Features) {
	for _, fault := range []Fault{Unavailable, ResourceExhausted, DeadlineExceeded, Aborted} {
		t.Run(fault.String(), func(t *testing.T) {
			if !f.has(fault) {
				t.Skipf("the driver's fixture cannot cause %v", fault)
			}
			fx := deployed(t, newFixture, f)
			fx.Inject(fault)
			_, err := fx.Model.Predict(context.Background(), fx.Instances)
			if err == nil || !model.IsRetryable(err) {
				t.Fatalf("Predict() with %v = %v, want a retryable error", fault, err)
			}
			if rows := model.FailedRows(err); rows != nil {
				t.Errorf("a retryable failure names rows %v", rows)
			}
			predict(t, fx.Model, fx.Instances) // the retry succeeds
		})
	}
}

func testPermanentFaults(t *testing.T, newFixture NewFixture, f Features) {
	tests := []struct {
		fault Fault
		// rows returns the rows the error must name, given the row count; nil means any rows or none,
		// since a service that refuses a request of many rows may not say which one it minded.
		rows func(n int) []int
	}{
		{InvalidArgument, nil},
		{WrongArity, func(n int) []int { return []int{n - 1} }},
		{WrongShape, func(int) []int { return []int{0} }},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			if !f.has(tt.fault) {
				t.Skipf("the driver's fixture cannot cause %v", tt.fault)
			}
			fx := deployed(t, newFixture, f)
			fx.Inject(tt.fault)
			n := len(fx.Instances.Rows)
			_, err := fx.Model.Predict(context.Background(), fx.Instances)
			if err == nil || model.IsRetryable(err) {
				t.Fatalf("Predict() with %v = %v, want a permanent error", tt.fault, err)
			}
			got := model.FailedRows(err)
			if tt.rows != nil {
				if diff := cmp.Diff(tt.rows(n), got); diff != "" {
					t.Errorf("FailedRows(%v) (-want +got):\n%s", err, diff)
				}
			} else if len(got) > 1 || (len(got) == 1 && (got[0] < 0 || got[0] >= n)) {
				t.Errorf("FailedRows(%v) = %v, want no row or one of the %d rows", err, got, n)
			}
			predict(t, fx.Model, fx.Instances) // the fault was once only
		})
	}
}

func testBatchPredict(t *testing.T, newFixture NewFixture, f Features) {
	ctx := context.Background()
	if !f.BatchPredict {
		fx := newFixture(t)
		if _, err := fx.Model.BatchPredict(ctx, model.BatchJob{}); !errors.Is(err, model.ErrUnsupported) {
			t.Errorf("BatchPredict() = %v, want model.ErrUnsupported from a driver without batch prediction", err)
		}
		return
	}
	fx := newFixture(t)
	res, err := fx.Model.BatchPredict(ctx, fx.Batch)
	if err != nil {
		t.Fatalf("BatchPredict() error: %v", err)
	}
	if res.Predictions.Table == "" || res.Predictions.Dataset == "" {
		t.Errorf("BatchPredict() output %+v does not name a table", res.Predictions)
	}
	if p := fx.Batch.Destination.Project; p != "" && res.Predictions.Project != p {
		t.Errorf("BatchPredict() wrote to project %q, want %q", res.Predictions.Project, p)
	}
	if res.Succeeded < -1 || res.Failed < -1 {
		t.Errorf("BatchPredict() counts %d succeeded, %d failed: want counts or -1", res.Succeeded, res.Failed)
	}
	if f.has(BatchFails) {
		fx.Inject(BatchFails)
		if _, err := fx.Model.BatchPredict(ctx, fx.Batch); err == nil || model.IsRetryable(err) {
			t.Errorf("BatchPredict() of a failing job = %v, want a permanent error", err)
		}
	}
}
