package training

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// metric is one figure of Metrics that an evaluation reports with an interval.
type metric struct {
	Name, Label string
	Get         func(Metrics) Number
	// HigherIsBetter is false for an error (decile MAPE).
	HigherIsBetter bool
}

// evalMetrics are the figures Evaluate reports for each split and their mean.
var evalMetrics = []metric{
	{"normalized_gini", "normalized Gini", func(m Metrics) Number { return m.NormalizedGini }, true},
	{"spearman", "Spearman", func(m Metrics) Number { return m.Spearman }, true},
	{"decile_mape", "decile MAPE", func(m Metrics) Number { return m.DecileMAPE }, false},
	{"auc", "AUC (returning)", func(m Metrics) Number { return m.AUC }, true},
	{"top10_share", "top-10% value share", func(m Metrics) Number { return m.Top10Share }, true},
}

// MetricLabel is the metric's name in words.
func MetricLabel(name string) string {
	for _, m := range evalMetrics {
		if m.Name == name {
			return m.Label
		}
	}
	return name
}

// Figure is one metric of the model and of the baseline, and their difference (model minus baseline),
// each with its bootstrap interval.
type Figure struct {
	Metric     string   `json:"metric"`
	Model      Estimate `json:"model"`
	Baseline   Estimate `json:"baseline"`
	Difference Estimate `json:"difference"`
	// Verdict is "model better", "baseline better" (the interval of the difference excludes zero, on that
	// side) or "no clear difference".
	Verdict string `json:"verdict"`
}

// Estimate is a figure and its bootstrap interval (the Confidence percentile interval).
type Estimate struct {
	Value Number `json:"value"`
	Low   Number `json:"low"`
	High  Number `json:"high"`
}

// sample is one split's rows: actual values, the model's and the baseline's predictions, and the rows of
// each customer, the unit the bootstrap draws (a customer's first-day invoices share one label).
type sample struct {
	actual, model, base []float64
	customers           [][]int
}

func newSample(ds *Dataset, pred []float64) sample {
	s := sample{actual: ds.Label, model: pred, base: ds.FirstValues()}
	index := map[string]int{}
	for i, c := range ds.Client {
		k, ok := index[c]
		if !ok {
			k = len(s.customers)
			index[c] = k
			s.customers = append(s.customers, nil)
		}
		s.customers[k] = append(s.customers[k], i)
	}
	return s
}

// figures are the point values of a split's (or the mean's) metrics, model and baseline.
type figures struct{ model, base []float64 }

func measureFigures(actual, model, base []float64) figures {
	m, b := Measure(actual, model), Measure(actual, base)
	f := figures{model: make([]float64, len(evalMetrics)), base: make([]float64, len(evalMetrics))}
	for k, mt := range evalMetrics {
		f.model[k], f.base[k] = float64(mt.Get(m)), float64(mt.Get(b))
	}
	return f
}

// bootstrap resamples each split's customers with replacement, resamples times, and returns each split's
// figures and those of the splits' mean with percentile intervals. A resample of every split makes one
// resample of the mean, so the mean's interval accounts for the noise of every split.
func bootstrap(samples []sample, resamples int, seed uint64) (perSplit [][]Figure, mean []Figure) {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	points := make([]figures, len(samples))
	draws := make([][]figures, len(samples)) // split → resample
	for i, s := range samples {
		points[i] = measureFigures(s.actual, s.model, s.base)
		draws[i] = make([]figures, resamples)
		for r := range resamples {
			a, m, b := s.resample(rng)
			draws[i][r] = measureFigures(a, m, b)
		}
	}
	perSplit = make([][]Figure, len(samples))
	for i := range samples {
		perSplit[i] = intervals(points[i], draws[i])
	}
	meanPoint := meanFigures(points)
	meanDraws := make([]figures, resamples)
	for r := range resamples {
		across := make([]figures, len(samples))
		for i := range samples {
			across[i] = draws[i][r]
		}
		meanDraws[r] = meanFigures(across)
	}
	return perSplit, intervals(meanPoint, meanDraws)
}

func (s sample) resample(rng *rand.Rand) (actual, model, base []float64) {
	for range s.customers {
		for _, i := range s.customers[rng.IntN(len(s.customers))] {
			actual, model, base = append(actual, s.actual[i]), append(model, s.model[i]), append(base, s.base[i])
		}
	}
	return actual, model, base
}

// meanFigures is the mean over the splits of each figure (NaN when a split's is).
func meanFigures(fs []figures) figures {
	out := figures{model: make([]float64, len(evalMetrics)), base: make([]float64, len(evalMetrics))}
	for k := range evalMetrics {
		for _, f := range fs {
			out.model[k] += f.model[k] / float64(len(fs))
			out.base[k] += f.base[k] / float64(len(fs))
		}
	}
	return out
}

// intervals turns the point figures and their resamples into Figures.
func intervals(point figures, draws []figures) []Figure {
	out := make([]Figure, len(evalMetrics))
	for k, mt := range evalMetrics {
		var m, b, d []float64
		for _, f := range draws {
			m, b, d = append(m, f.model[k]), append(b, f.base[k]), append(d, f.model[k]-f.base[k])
		}
		fig := Figure{Metric: mt.Name,
			Model:      estimate(point.model[k], m),
			Baseline:   estimate(point.base[k], b),
			Difference: estimate(point.model[k]-point.base[k], d),
		}
		fig.Verdict = judge(fig.Difference, mt.HigherIsBetter)
		out[k] = fig
	}
	return out
}

// estimate is the value with the percentile interval of the resampled values (NaNs left out).
func estimate(value float64, draws []float64) Estimate {
	xs := slices.DeleteFunc(slices.Clone(draws), math.IsNaN)
	e := Estimate{Value: Number(value), Low: Number(math.NaN()), High: Number(math.NaN())}
	if len(xs) == 0 {
		return e
	}
	slices.Sort(xs)
	tail := (1 - Confidence) / 2
	e.Low = Number(stat.Quantile(tail, stat.Empirical, xs, nil))
	e.High = Number(stat.Quantile(1-tail, stat.Empirical, xs, nil))
	return e
}

func judge(diff Estimate, higherIsBetter bool) string {
	better := func(model bool) string {
		if model == higherIsBetter {
			return "model better"
		}
		return "baseline better"
	}
	switch {
	case diff.Low > 0:
		return better(true)
	case diff.High < 0:
		return better(false)
	}
	return "no clear difference"
}

// verdict says, for each metric of the mean, whether the interval of the difference excludes zero.
func verdict(mean []Figure) []string {
	var out []string
	for _, f := range mean {
		d := f.Difference
		how := "the interval includes zero: no clear difference"
		switch f.Verdict {
		case "model better":
			how = "the interval excludes zero: the model is better"
		case "baseline better":
			how = "the interval excludes zero: the baseline is better"
		}
		out = append(out, fmt.Sprintf("%s: model %.3f, baseline %.3f, difference %+.3f [%+.3f, %+.3f]; %s",
			MetricLabel(f.Metric), float64(f.Model.Value), float64(f.Baseline.Value), float64(d.Value), float64(d.Low), float64(d.High), how))
	}
	return out
}

// Outside names the metrics whose value (model's or baseline's, of a split or of the mean) lies outside its
// own bootstrap interval. That happens to decile MAPE: a resample repeats some customers and drops others,
// which adds noise to each decile's mean, so resampled MAPEs run above the observed one.
func (r Report) Outside() []string {
	var names []string
	seen := map[string]bool{}
	check := func(figs []Figure) {
		for _, f := range figs {
			for _, e := range []Estimate{f.Model, f.Baseline} {
				if (e.Value < e.Low || e.Value > e.High) && !seen[f.Metric] {
					seen[f.Metric] = true
					names = append(names, f.Metric)
				}
			}
		}
	}
	for _, s := range r.Splits {
		check(s.Figures)
	}
	check(r.Mean)
	return names
}
