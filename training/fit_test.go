package training_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/training"
	"github.com/pltv/pltv/warehouse"
)

var fitSchema = warehouse.Schema{
	{Name: "clientId", Type: warehouse.String},
	{Name: "x", Type: warehouse.Float},
	{Name: "segment", Type: warehouse.String},
	{Name: "basket_value", Type: warehouse.Float},
}

var fitSpecs = []training.FeatureSpec{
	{Name: "x", Kind: local.Numeric, Transform: local.Identity},
	{Name: "segment", Kind: local.Categorical},
}

// simulate draws n customers from a known two-part model: they return with probability
// sigmoid(-0.5 + 1.2x + 0.8[segment B]) and then spend exp(3 + 0.5x + ε), ε ~ N(0, 0.3²).
func simulate(n int, seed uint64) *training.Dataset {
	rng := rand.New(rand.NewPCG(seed, 2))
	ds := &training.Dataset{Schema: fitSchema}
	for i := range n {
		x := rng.NormFloat64()
		seg, b := "A", 0.0
		if rng.IntN(2) == 0 {
			seg, b = "B", 1
		}
		label := 0.0
		if rng.Float64() < 1/(1+math.Exp(-(-0.5+1.2*x+0.8*b))) {
			label = math.Exp(3 + 0.5*x + 0.3*rng.NormFloat64())
		}
		c := fmt.Sprintf("c%d", i)
		ds.Rows = append(ds.Rows, warehouse.Row{c, x, seg, 10.0})
		ds.Client = append(ds.Client, c)
		ds.FirstDate = append(ds.FirstDate, "20110101")
		ds.Label = append(ds.Label, label)
	}
	return ds
}

func TestFitRecoversAKnownModel(t *testing.T) {
	f, err := training.Fit(simulate(20000, 1), training.FitOptions{Features: fitSpecs, L2Return: 1e-6, L2Value: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	f.Name = "simulated"
	if err := f.Check(); err != nil {
		t.Fatal(err)
	}
	s, err := f.Scorer(fitSchema)
	if err != nil {
		t.Fatal(err)
	}
	var got, want []float64
	for _, x := range []float64{-1, 0, 1} {
		for _, seg := range []string{"A", "B"} {
			sc, err := s.Score(warehouse.Row{"c", x, seg, 10.0})
			if err != nil {
				t.Fatal(err)
			}
			b := 0.0
			if seg == "B" {
				b = 1
			}
			got = append(got, sc.PReturn, sc.ValueIfReturn)
			// The mean of a lognormal value: exp(μ + σ²/2).
			want = append(want, 1/(1+math.Exp(-(-0.5+1.2*x+0.8*b))), math.Exp(3+0.5*x+0.3*0.3/2))
		}
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0.03, 0.01)); diff != "" {
		t.Errorf("P(return) and E[value | return] at x = -1, 0, 1 and segments A, B (-true model +fitted):\n%s", diff)
	}
	if diff := cmp.Diff(math.Exp(0.3*0.3/2), f.Value.Smearing, cmpopts.EquateApprox(0.01, 0)); diff != "" {
		t.Errorf("smearing factor (-lognormal's exp(σ²/2) +fitted):\n%s", diff)
	}
}

func TestFitCountsEachCustomerOnce(t *testing.T) {
	once := simulate(500, 3)
	// The same customers, the first one's invoice repeated three times on its first date.
	repeated := &training.Dataset{Schema: once.Schema}
	for i := range once.Rows {
		k := 1
		if i == 0 {
			k = 3
		}
		for range k {
			repeated.Rows = append(repeated.Rows, once.Rows[i])
			repeated.Client = append(repeated.Client, once.Client[i])
			repeated.FirstDate = append(repeated.FirstDate, once.FirstDate[i])
			repeated.Label = append(repeated.Label, once.Label[i])
		}
	}
	opts := training.FitOptions{Features: fitSpecs}
	a, err := training.Fit(once, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := training.Fit(repeated, opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b, cmpopts.EquateApprox(1e-6, 1e-9)); diff != "" {
		t.Errorf("models (-once +repeated):\n%s", diff)
	}
}

func TestFitRefuses(t *testing.T) {
	noReturn := simulate(50, 4)
	for i := range noReturn.Label {
		noReturn.Label[i] = 0
	}
	tests := []struct {
		name string
		ds   *training.Dataset
		opts training.FitOptions
		want string
	}{
		{"no rows", &training.Dataset{Schema: fitSchema}, training.FitOptions{Features: fitSpecs}, "no training rows"},
		{"nobody returns", noReturn, training.FitOptions{Features: fitSpecs}, "no customer of the cohort bought again"},
		{"a missing column", simulate(50, 5), training.FitOptions{}, "feature country: the new-customer rows have no such column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := training.Fit(tt.ds, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Fit = %v, want an error saying %q", err, tt.want)
			}
		})
	}
}
