package training

import (
	"fmt"
	"math"
	"sort"

	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/pipeline"
)

// Calibration's shape: how many groups of rows, by raw prediction, the power law is fitted to, and how many
// knots on it the model file keeps.
const (
	calibrationGroups = 10
	calibrationKnots  = 41
)

// calibrate fits the model's calibration on the rows of the latest days cohort dates of the dataset, the
// latest closed cohorts (their horizon ends by the model date). The rows are ranked by the raw prediction
// and cut into groups of equal weight; a power law, value = a·raw^b, is fitted by weighted least squares to
// the logs of the groups' mean raw predictions and mean labels, and kept as knots from the lowest raw
// prediction to the highest. So the predicted level follows the latest cohorts, and b > 1 undoes the
// shrinkage of the penalised fit, which squeezes the predictions of every decile towards the mean.
func calibrate(f *local.File, ds *Dataset, days int) (*local.Calibration, error) {
	last := ""
	for _, d := range ds.FirstDate {
		last = max(last, d)
	}
	from, err := pipeline.AddDays(last, 1-days)
	if err != nil {
		return nil, err
	}
	raw, err := Predictions(f, ds)
	if err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	w := customerWeights(ds)
	var rows []int
	total := 0.0
	for i, d := range ds.FirstDate {
		if d >= from && raw[i] > 0 {
			rows = append(rows, i)
			total += w[i]
		}
	}
	if len(rows) < 2*calibrationGroups {
		return nil, fmt.Errorf("calibrate: %d rows of the cohorts %s..%s, want at least %d", len(rows), from, last, 2*calibrationGroups)
	}
	sort.SliceStable(rows, func(a, b int) bool { return raw[rows[a]] < raw[rows[b]] })
	// Weighted sums of the groups' (log mean raw, log mean label) points.
	var sw, sx, sy, sxx, sxy float64
	var gw, graw, glabel float64
	for n, i := range rows {
		gw, graw, glabel = gw+w[i], graw+w[i]*raw[i], glabel+w[i]*ds.Label[i]
		if gw < total/calibrationGroups-1e-9 && n < len(rows)-1 {
			continue
		}
		x, y := math.Log(graw/gw), math.Log(max(glabel/gw, 1e-2))
		sw, sx, sy, sxx, sxy = sw+gw, sx+gw*x, sy+gw*y, sxx+gw*x*x, sxy+gw*x*y
		gw, graw, glabel = 0, 0, 0
	}
	den := sw*sxx - sx*sx
	if den <= 1e-12 {
		return nil, fmt.Errorf("calibrate: the raw predictions of the cohorts %s..%s do not vary", from, last)
	}
	b := max(0, (sw*sxy-sx*sy)/den) // never a decreasing calibration
	a := (sy - b*sx) / sw
	lo, hi := raw[rows[0]], raw[rows[len(rows)-1]]
	c := &local.Calibration{Cohorts: from + ".." + last}
	for k := range calibrationKnots {
		x := lo * math.Pow(hi/lo, float64(k)/(calibrationKnots-1))
		if k > 0 && x <= c.Raw[k-1] {
			break
		}
		c.Raw = append(c.Raw, x)
		c.Value = append(c.Value, math.Exp(a+b*math.Log(x)))
	}
	return c, nil
}
