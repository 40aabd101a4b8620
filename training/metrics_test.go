package training_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/training"
)

// approx compares numbers to 12 decimal places, and NaN (an undefined figure) as equal to NaN.
var approx = cmp.Options{
	cmpopts.EquateApprox(0, 1e-12),
	cmp.Comparer(func(a, b training.Number) bool {
		x, y := float64(a), float64(b)
		return math.Abs(x-y) <= 1e-12 || math.IsNaN(x) && math.IsNaN(y)
	}),
}

func TestGini(t *testing.T) {
	constant := func(n int) []float64 { return make([]float64, n) }
	oneBuyer := func(n int) []float64 { a := make([]float64, n); a[n/2] = 10; return a }
	tests := []struct {
		name                 string
		actual, predicted    []float64
		wantRaw, wantNormRaw float64
	}{
		// The gain chart of one buyer ranked first is 1 at every row: Gini 1.
		{"a perfect ranking", []float64{0, 0, 0, 10}, []float64{1, 2, 3, 4}, 1, 1},
		// A constant prediction ranks at random: the chart is k/n, its mean (n+1)/2n, Gini 1/n.
		{"a random ranking of 4", []float64{0, 0, 0, 10}, constant(4), 0.25, 0.25},
		{"a random ranking of 1000", oneBuyer(1000), constant(1000), 0.001, 0.001},
		// The buyer ranked last: the chart is 0, 0, 0, 1, its mean 1/4.
		{"the worst ranking", []float64{0, 0, 0, 10}, []float64{4, 3, 2, 1}, -0.5, -0.5},
		// 4/10, 7/10, 9/10, 10/10: mean 3/4.
		{"values ranked right", []float64{1, 2, 3, 4}, []float64{1, 2, 3, 4}, 0.5, 1},
		// 1/10, 3/10, 6/10, 10/10: mean 1/2.
		{"values ranked backwards", []float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, 0, 0},
		// Two tied pairs: {4, 0} first shares 4 evenly (2/6, 4/6), then {2, 0} (5/6, 6/6): mean 17/24;
		// the perfect chart is 4/6, 1, 1, 1, mean 11/12.
		{"ties", []float64{4, 0, 2, 0}, []float64{1, 1, 0, 0}, 10.0 / 24, (10.0 / 24) / (10.0 / 12)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []float64{training.Gini(tt.actual, tt.predicted), training.NormalizedGini(tt.actual, tt.predicted)}
			if diff := cmp.Diff([]float64{tt.wantRaw, tt.wantNormRaw}, got, approx); diff != "" {
				t.Errorf("Gini, NormalizedGini (-want +got):\n%s", diff)
			}
		})
	}
	if g := training.Gini([]float64{0, 0}, []float64{1, 2}); !math.IsNaN(g) {
		t.Errorf("Gini without any value = %v, want NaN", g)
	}
}

func TestSpearman(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
		want float64
	}{
		{"monotone", []float64{1, 5, 10}, []float64{2, 3, 100}, 1},
		{"reversed", []float64{1, 5, 10}, []float64{3, 2, 1}, -1},
		// Ranks 1, 2.5, 2.5, 4 against 1..4: covariance 4.5, variances 4.5 and 5.
		{"ties", []float64{1, 2, 2, 3}, []float64{1, 2, 3, 4}, 3 / math.Sqrt(10)},
		// Ranks 1.5, 1.5, 3.5, 3.5 against 2, 1, 4, 3: covariance 4, variances 4 and 5.
		{"ties on both sides", []float64{0, 0, 7, 7}, []float64{5, 2, 9, 8}, 4 / math.Sqrt(20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, training.Spearman(tt.a, tt.b), approx); diff != "" {
				t.Errorf("Spearman (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAUC(t *testing.T) {
	tests := []struct {
		name          string
		actual, score []float64
		want          float64
	}{
		// Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ordered right.
		{"no ties", []float64{0, 0, 7, 3}, []float64{0.1, 0.4, 0.35, 0.8}, 0.75},
		{"perfect", []float64{0, 0, 1, 2}, []float64{1, 2, 3, 4}, 1},
		{"inverted", []float64{5, 1, 0, 0}, []float64{1, 2, 3, 4}, 0},
		// A positive tied with the negative counts half: (0.5 + 1) / 2.
		{"a tie", []float64{0, 5, 3}, []float64{1, 1, 2}, 0.75},
		{"all tied", []float64{0, 5, 3, 0}, []float64{1, 1, 1, 1}, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, training.AUC(tt.actual, tt.score), approx); diff != "" {
				t.Errorf("AUC (-want +got):\n%s", diff)
			}
		})
	}
	if a := training.AUC([]float64{1, 2}, []float64{1, 2}); !math.IsNaN(a) {
		t.Errorf("AUC with one class = %v, want NaN", a)
	}
}

func TestDeciles(t *testing.T) {
	// 20 rows predicted 1..20, worth twice that: decile d holds 2d-1 and 2d, predicted 2d-0.5 on average
	// against 4d-1: every decile is off by half.
	var actual, predicted []float64
	for i := 20; i >= 1; i-- {
		predicted = append(predicted, float64(i))
		actual = append(actual, 2*float64(i))
	}
	var want []training.Decile
	for d := 1; d <= 10; d++ {
		want = append(want, training.Decile{Decile: d, Rows: 2, MeanPredicted: training.Number(2*d) - 0.5, MeanActual: training.Number(4*d - 1)})
	}
	got := training.Deciles(actual, predicted)
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("Deciles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(0.5, training.DecileMAPE(got), approx); diff != "" {
		t.Errorf("DecileMAPE (-want +got):\n%s", diff)
	}
	// Deciles without actual value are left out of the MAPE.
	zeros := append([]training.Decile{{Decile: 0, Rows: 5, MeanPredicted: 3, MeanActual: 0}}, got[:1]...)
	if diff := cmp.Diff(0.5, training.DecileMAPE(zeros), approx); diff != "" {
		t.Errorf("DecileMAPE with a decile worth nothing (-want +got):\n%s", diff)
	}
}

func TestTopShare(t *testing.T) {
	tests := []struct {
		name              string
		actual, predicted []float64
		want              float64
	}{
		{"the buyer on top", []float64{0, 0, 10, 0, 0, 0, 0, 0, 0, 0}, []float64{1, 1, 9, 1, 1, 1, 1, 1, 1, 1}, 1},
		{"values ranked right", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10.0 / 55},
		// 11 rows: the top 10% is 2 rows (rounded up).
		{"rounded up", []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2.0 / 11},
		{"all tied", []float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 10}, make([]float64, 10), 0.1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, training.TopShare(tt.actual, tt.predicted, 0.1), approx); diff != "" {
				t.Errorf("TopShare (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMeasure(t *testing.T) {
	// With 4 rows, six deciles are empty and their means undefined.
	nan := training.Number(math.NaN())
	empty := func(d int) training.Decile { return training.Decile{Decile: d, MeanPredicted: nan, MeanActual: nan} }
	actual := []float64{0, 0, 0, 10}
	m := training.Measure(actual, []float64{1, 2, 3, 4})
	want := training.Metrics{Rows: 4, ReturnRate: 0.25, MeanActual: 2.5, MeanPredicted: 2.5, Gini: 1, NormalizedGini: 1,
		Spearman: training.Number(training.Spearman(actual, []float64{1, 2, 3, 4})), AUC: 1, Top10Share: 1,
		DecileMAPE: 0.6, // only the top decile (row 4: 4 against 10) has value
		Deciles: []training.Decile{
			empty(1), empty(2), {Decile: 3, Rows: 1, MeanPredicted: 1}, empty(4), {Decile: 5, Rows: 1, MeanPredicted: 2},
			empty(6), empty(7), {Decile: 8, Rows: 1, MeanPredicted: 3}, empty(9), {Decile: 10, Rows: 1, MeanPredicted: 4, MeanActual: 10},
		},
	}
	if diff := cmp.Diff(want, m, approx); diff != "" {
		t.Errorf("Measure (-want +got):\n%s", diff)
	}
}

func TestNumberJSON(t *testing.T) {
	b, err := json.Marshal([]training.Number{1.5, training.Number(math.NaN()), training.Number(math.Inf(1))})
	if err != nil || string(b) != "[1.5,null,null]" {
		t.Fatalf("Marshal = %s, %v; want [1.5,null,null]", b, err)
	}
	var back []training.Number
	if err := json.Unmarshal(b, &back); err != nil || back[0] != 1.5 || !math.IsNaN(float64(back[1])) {
		t.Errorf("Unmarshal(%s) = %v, %v", b, back, err)
	}
}
