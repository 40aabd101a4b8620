package training

import (
	"encoding/json"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/integrate"
	"gonum.org/v1/gonum/stat"
)

// Number is a figure that may be undefined (NaN), written to JSON as null then.
type Number float64

// MarshalJSON writes the number, or null when it is not finite.
func (n Number) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) || math.IsInf(float64(n), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(n))
}

// UnmarshalJSON reads a number, or null as NaN.
func (n *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Number(math.NaN())
		return nil
	}
	return json.Unmarshal(b, (*float64)(n))
}

// Metrics are the figures of predicted against actual lifetime values that Wang, Liu and Miao (2019, "A
// Deep Probabilistic Model for Customer Lifetime Value Prediction") report: discrimination (the
// normalized Gini coefficient, Spearman's rank correlation, the AUC of returning customers) and
// calibration (the decile chart and its MAPE), with the share of value the top predicted decile holds.
type Metrics struct {
	Rows          int    `json:"rows"`
	ReturnRate    Number `json:"return_rate"` // the share of rows with a positive actual value
	MeanActual    Number `json:"mean_actual"`
	MeanPredicted Number `json:"mean_predicted"`
	// Gini is the raw Gini coefficient of the gain chart (the cumulative share of actual value over the
	// rows ranked by prediction); NormalizedGini divides it by that of the perfect ranking (by actual
	// value), so that 1 is perfect and a random ranking is about 0.
	Gini           Number `json:"gini"`
	NormalizedGini Number `json:"normalized_gini"`
	// Spearman is the rank correlation of predicted and actual values, ties ranked by their average.
	Spearman Number `json:"spearman"`
	// AUC is the area under the ROC curve of the prediction as a score of returning (actual value > 0).
	AUC Number `json:"auc"`
	// DecileMAPE is the mean over the deciles of |mean predicted - mean actual| / mean actual, deciles
	// being ten equal groups of rows by predicted value; deciles whose mean actual value is 0 are left out.
	DecileMAPE Number `json:"decile_mape"`
	// Top10Share is the share of the actual value held by the 10% of rows with the highest predictions.
	Top10Share Number   `json:"top10_share"`
	Deciles    []Decile `json:"deciles"`
}

// Decile is one tenth of the rows by predicted value; decile 1 has the lowest predictions.
type Decile struct {
	Decile        int    `json:"decile"`
	Rows          int    `json:"rows"`
	MeanPredicted Number `json:"mean_predicted"`
	MeanActual    Number `json:"mean_actual"`
}

// Measure computes the metrics of predicted against actual values (same length).
func Measure(actual, predicted []float64) Metrics {
	n := len(actual)
	m := Metrics{Rows: n}
	if n == 0 || len(predicted) != n {
		nan := Number(math.NaN())
		m.ReturnRate, m.MeanActual, m.MeanPredicted, m.Gini, m.NormalizedGini = nan, nan, nan, nan, nan
		m.Spearman, m.AUC, m.DecileMAPE, m.Top10Share = nan, nan, nan, nan
		return m
	}
	returned := 0
	for _, a := range actual {
		if a > 0 {
			returned++
		}
	}
	m.ReturnRate = Number(float64(returned) / float64(n))
	m.MeanActual, m.MeanPredicted = Number(stat.Mean(actual, nil)), Number(stat.Mean(predicted, nil))
	m.Gini = Number(Gini(actual, predicted))
	m.NormalizedGini = Number(NormalizedGini(actual, predicted))
	m.Spearman = Number(Spearman(actual, predicted))
	m.AUC = Number(AUC(actual, predicted))
	m.Deciles = Deciles(actual, predicted)
	m.DecileMAPE = Number(DecileMAPE(m.Deciles))
	m.Top10Share = Number(TopShare(actual, predicted, 0.1))
	return m
}

// gainCurve returns the cumulative share of the actual value after each of the n rows ranked by predicted
// value, highest first. Rows tied on the prediction share their value evenly, which is the expected curve
// over every order of the tie. It is nil when the actual values sum to 0.
func gainCurve(actual, predicted []float64) []float64 {
	n := len(actual)
	total := 0.0
	for _, a := range actual {
		total += a
	}
	if total == 0 {
		return nil
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return predicted[order[i]] > predicted[order[j]] })
	curve := make([]float64, n)
	cum := 0.0
	for start := 0; start < n; {
		end := start + 1
		for end < n && predicted[order[end]] == predicted[order[start]] {
			end++
		}
		group := 0.0
		for _, i := range order[start:end] {
			group += actual[i]
		}
		g := float64(end - start)
		for k := start; k < end; k++ {
			curve[k] = (cum + group*float64(k-start+1)/g) / total
		}
		cum += group
		start = end
	}
	return curve
}

// Gini is the raw Gini coefficient of the gain chart: twice the mean of the cumulative share of actual
// value over the rows ranked by prediction, minus one. It is NaN when the actual values sum to 0.
func Gini(actual, predicted []float64) float64 {
	curve := gainCurve(actual, predicted)
	if curve == nil {
		return math.NaN()
	}
	return 2*stat.Mean(curve, nil) - 1
}

// NormalizedGini is the Gini coefficient of the predictions over that of the actual values themselves.
func NormalizedGini(actual, predicted []float64) float64 {
	return Gini(actual, predicted) / Gini(actual, actual)
}

// TopShare is the share of the actual value held by the top fraction of rows by prediction (ties
// shared evenly).
func TopShare(actual, predicted []float64, fraction float64) float64 {
	curve := gainCurve(actual, predicted)
	k := int(math.Ceil(fraction * float64(len(curve))))
	if curve == nil || k == 0 {
		return math.NaN()
	}
	return curve[k-1]
}

// ranks returns the 1-based ranks of x, ties given the mean of their ranks.
func ranks(x []float64) []float64 {
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return x[order[i]] < x[order[j]] })
	r := make([]float64, len(x))
	for start := 0; start < len(x); {
		end := start + 1
		for end < len(x) && x[order[end]] == x[order[start]] {
			end++
		}
		mean := float64(start+end+1) / 2 // of the ranks start+1..end
		for _, i := range order[start:end] {
			r[i] = mean
		}
		start = end
	}
	return r
}

// Spearman is the rank correlation of a and b: the Pearson correlation of their ranks, ties given the
// mean of their ranks. It is NaN when either is constant.
func Spearman(a, b []float64) float64 {
	return stat.Correlation(ranks(a), ranks(b), nil)
}

// AUC is the area under the ROC curve of score as a classifier of actual > 0 (a tie counts half). It is
// NaN when every row is of one class.
func AUC(actual, score []float64) float64 {
	y := slices.Clone(score)
	classes := make([]bool, len(actual))
	pos := 0
	for i, a := range actual {
		classes[i] = a > 0
		if classes[i] {
			pos++
		}
	}
	if pos == 0 || pos == len(actual) {
		return math.NaN()
	}
	stat.SortWeightedLabeled(y, classes, nil)
	tpr, fpr, _ := stat.ROC(nil, y, classes, nil)
	return integrate.Trapezoidal(fpr, tpr)
}

// Deciles splits the rows into ten groups of (nearly) equal size by predicted value, lowest first, and
// gives each group's mean predicted and actual value. Rows tied on the prediction stay in their input
// order, so a tie may straddle two deciles.
func Deciles(actual, predicted []float64) []Decile {
	n := len(actual)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return predicted[order[i]] < predicted[order[j]] })
	out := make([]Decile, 0, 10)
	for d := range 10 {
		lo, hi := d*n/10, (d+1)*n/10
		dec := Decile{Decile: d + 1, Rows: hi - lo}
		if hi > lo {
			var p, a float64
			for _, i := range order[lo:hi] {
				p += predicted[i]
				a += actual[i]
			}
			dec.MeanPredicted, dec.MeanActual = Number(p/float64(hi-lo)), Number(a/float64(hi-lo))
		} else {
			dec.MeanPredicted, dec.MeanActual = Number(math.NaN()), Number(math.NaN())
		}
		out = append(out, dec)
	}
	return out
}

// DecileMAPE is the mean absolute percentage error of the deciles' mean predictions against their mean
// actual values, over the deciles whose mean actual value is positive (NaN when there are none).
func DecileMAPE(deciles []Decile) float64 {
	var sum float64
	k := 0
	for _, d := range deciles {
		if d.Rows == 0 || !(d.MeanActual > 0) {
			continue
		}
		sum += math.Abs(float64(d.MeanPredicted-d.MeanActual)) / float64(d.MeanActual)
		k++
	}
	if k == 0 {
		return math.NaN()
	}
	return sum / float64(k)
}
