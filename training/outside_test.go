package training

import (
	"slices"
	"testing"
)

func TestOutsideNamesMetricsOutsideTheirInterval(t *testing.T) {
	in := Estimate{Value: 0.5, Low: 0.4, High: 0.6}
	r := Report{
		Splits: []Split{{Figures: []Figure{
			{Metric: "spearman", Model: in, Baseline: in},
			{Metric: "decile_mape", Model: Estimate{Value: 0.49, Low: 0.54, High: 1.37}, Baseline: in},
		}}},
		Mean: []Figure{
			{Metric: "decile_mape", Model: Estimate{Value: 0.49, Low: 0.54, High: 1.37}, Baseline: in},
			{Metric: "auc", Model: in, Baseline: Estimate{Value: 0.7, Low: 0.4, High: 0.6}},
		},
	}
	if got, want := r.Outside(), []string{"decile_mape", "auc"}; !slices.Equal(got, want) {
		t.Errorf("Outside() = %v, want %v", got, want)
	}
	if got := (Report{Mean: []Figure{{Metric: "spearman", Model: in, Baseline: in}}}).Outside(); len(got) != 0 {
		t.Errorf("Outside() of figures within their intervals = %v, want none", got)
	}
}
