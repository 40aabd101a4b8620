package local

import (
	"fmt"
	"slices"
	"sort"
)

// Calibration maps a two-part model's raw value (PReturn × ValueIfReturn) to the value it predicts, so that
// the level follows the cohorts it was fitted on: a non-decreasing piecewise-linear function through the
// knots (Raw[i], Value[i]), constant beyond the first and the last.
type Calibration struct {
	// Cohorts says which first purchases the knots were fitted on, e.g. "20110302..20110331".
	Cohorts string    `json:"cohorts,omitempty"`
	Raw     []float64 `json:"raw"`
	Value   []float64 `json:"value"`
}

// Apply returns the calibrated value of a raw value.
func (c *Calibration) Apply(raw float64) float64 {
	n := len(c.Raw)
	i := sort.SearchFloat64s(c.Raw, raw) // the first knot at or above raw
	switch {
	case i == 0:
		return c.Value[0]
	case i == n:
		return c.Value[n-1]
	}
	x0, x1, y0, y1 := c.Raw[i-1], c.Raw[i], c.Value[i-1], c.Value[i]
	return y0 + (y1-y0)*(raw-x0)/(x1-x0)
}

func (c *Calibration) check() error {
	switch {
	case len(c.Raw) == 0 || len(c.Raw) != len(c.Value):
		return fmt.Errorf("calibration: %d raw knots and %d values, want as many and at least one", len(c.Raw), len(c.Value))
	case slices.ContainsFunc(c.Raw, func(x float64) bool { return !finite(x) }),
		slices.ContainsFunc(c.Value, func(x float64) bool { return !finite(x) || x < 0 }):
		return fmt.Errorf("calibration: a knot that is not a finite number (or a negative value)")
	}
	for i := 1; i < len(c.Raw); i++ {
		if c.Raw[i] <= c.Raw[i-1] || c.Value[i] < c.Value[i-1] {
			return fmt.Errorf("calibration: knot %d (%v → %v) does not follow knot %d (%v → %v): want increasing raw values and non-decreasing values",
				i, c.Raw[i], c.Value[i], i-1, c.Raw[i-1], c.Value[i-1])
		}
	}
	return nil
}
