package local

import (
	"strings"
	"testing"
)

func TestCalibrationApply(t *testing.T) {
	c := &Calibration{Raw: []float64{10, 20, 40}, Value: []float64{5, 25, 65}}
	if err := c.check(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ raw, want float64 }{
		{0, 5}, {10, 5}, {15, 15}, {20, 25}, {30, 45}, {40, 65}, {1000, 65},
	} {
		if got := c.Apply(tt.raw); got != tt.want {
			t.Errorf("Apply(%v) = %v, want %v", tt.raw, got, tt.want)
		}
	}
}

func TestCalibrationCheck(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    Calibration
		want string
	}{
		{"no knots", Calibration{}, "at least one"},
		{"uneven", Calibration{Raw: []float64{1, 2}, Value: []float64{1}}, "as many"},
		{"decreasing values", Calibration{Raw: []float64{1, 2}, Value: []float64{3, 2}}, "non-decreasing"},
		{"raw not increasing", Calibration{Raw: []float64{2, 2}, Value: []float64{1, 2}}, "increasing raw"},
		{"a negative value", Calibration{Raw: []float64{1}, Value: []float64{-1}}, "negative"},
	} {
		if err := tt.c.check(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: check() = %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}
