package training

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/warehouse"
)

// TestBootstrapVerdicts checks the intervals and verdicts on a split where the model knows the actual
// values and the baseline is noise: every ranking metric is "model better", with intervals about the point.
func TestBootstrapVerdicts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var s sample
	for i := range 400 {
		a := 0.0
		if rng.IntN(3) == 0 {
			a = 10 + 100*rng.Float64()
		}
		s.actual, s.model, s.base = append(s.actual, a), append(s.model, a+1), append(s.base, 100*rng.Float64())
		s.customers = append(s.customers, []int{i})
	}
	per, mean := bootstrap([]sample{s, s}, 200, 1)
	if len(per) != 2 || len(mean) != len(evalMetrics) {
		t.Fatalf("%d splits, %d mean figures", len(per), len(mean))
	}
	for _, f := range mean {
		if f.Verdict != "model better" {
			t.Errorf("%s: %+v, want the model better", f.Metric, f)
		}
		if !(f.Model.Low <= f.Model.High && f.Difference.Low <= f.Difference.High) {
			t.Errorf("%s: intervals %+v", f.Metric, f)
		}
	}
	_, again := bootstrap([]sample{s, s}, 200, 1)
	for k := range again {
		if again[k] != mean[k] {
			t.Errorf("the same seed gave %+v, then %+v", mean[k], again[k])
		}
	}
	for _, tt := range []struct {
		diff   Estimate
		higher bool
		want   string
	}{
		{Estimate{Low: 0.1, High: 0.2}, true, "model better"},
		{Estimate{Low: 0.1, High: 0.2}, false, "baseline better"},
		{Estimate{Low: -0.2, High: -0.1}, false, "model better"},
		{Estimate{Low: -0.2, High: -0.1}, true, "baseline better"},
		{Estimate{Low: -0.1, High: 0.1}, true, "no clear difference"},
	} {
		if got := judge(tt.diff, tt.higher); got != tt.want {
			t.Errorf("judge(%+v, higher is better %v) = %s, want %s", tt.diff, tt.higher, got, tt.want)
		}
	}
}

// TestCalibrate checks that the calibration undoes a squeezed prediction: the raw value is a damped power of
// the actual value's expectation, and the calibrated deciles' means match the actual ones.
func TestCalibrate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	ds := &Dataset{Schema: warehouse.Schema{{Name: "x", Type: warehouse.Float}}}
	for i := range 3000 {
		x := rng.Float64() * 4
		mean := math.Exp(x) * 10
		ds.Rows = append(ds.Rows, warehouse.Row{x})
		ds.FirstDate = append(ds.FirstDate, "20110101")
		ds.Client = append(ds.Client, string(rune('a'+i%26))+string(rune(i)))
		ds.Label = append(ds.Label, mean*(0.5+rng.Float64()))
	}
	// raw = 20·e^{x/4}: the right order, a quarter of the spread.
	f := &local.File{FormatVersion: local.FormatVersion, Name: "m", Kind: local.KindTwoPart,
		Features: []local.Feature{{Name: "x", Kind: local.Numeric, Transform: local.Identity, Center: 0, Scale: 1}},
		Return:   local.Linear{Intercept: 50, Weights: []float64{0}},
		Value:    local.LogLinear{Linear: local.Linear{Intercept: math.Log(20), Weights: []float64{0.25}}, Smearing: 1}}
	f.Columns = local.Columns(f.Features)
	raw, err := Predictions(f, ds)
	if err != nil {
		t.Fatal(err)
	}
	before := DecileMAPE(Deciles(ds.Label, raw))
	if f.Calibration, err = calibrate(f, ds, 30); err != nil {
		t.Fatal(err)
	}
	if err := f.Check(); err != nil {
		t.Fatal(err)
	}
	pred, err := Predictions(f, ds)
	if err != nil {
		t.Fatal(err)
	}
	after := DecileMAPE(Deciles(ds.Label, pred))
	if after > 0.1 || after > before/3 {
		t.Errorf("decile MAPE %.3f before calibration, %.3f after; want under 0.1", before, after)
	}
}
