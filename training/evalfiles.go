package training

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeEvaluation writes each split's charts and the report as metrics.json under r.Dir, after removing the
// charts of an earlier evaluation, which may have had more splits.
func writeEvaluation(r *Report, samples []sample) error {
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		return fmt.Errorf("evaluation output: %w", err)
	}
	old, err := filepath.Glob(filepath.Join(r.Dir, "split*_*.png"))
	if err != nil {
		return fmt.Errorf("evaluation output: %w", err)
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return fmt.Errorf("evaluation output: %w", err)
		}
	}
	who := "model"
	if r.Model != "" {
		who = r.Model
	}
	for i := range r.Splits {
		s, smp := &r.Splits[i], samples[i]
		prefix := fmt.Sprintf("split%d_", s.Split)
		s.Charts = Charts{Deciles: prefix + "deciles.png", Calibration: prefix + "calibration.png", Gain: prefix + "gain.png"}
		title := fmt.Sprintf("Split %d: first purchases %s..%s (%d)", s.Split, s.From, s.To, s.Rows)
		curves := []Curve{
			{Name: who, Actual: smp.actual, Predicted: smp.model, Colour: predictedColour},
			{Name: "baseline: the first basket's value", Actual: smp.actual, Predicted: smp.base, Colour: actualColour},
		}
		charts := []struct {
			file string
			draw func(io.Writer) error
		}{
			{s.Charts.Deciles, func(w io.Writer) error {
				return WriteDecileChart(w, Panel{Title: who + ", " + title, Metrics: s.Model},
					Panel{Title: "Baseline: the first basket's value", Metrics: s.Baseline})
			}},
			{s.Charts.Calibration, func(w io.Writer) error { return WriteCalibrationChart(w, title, curves...) }},
			{s.Charts.Gain, func(w io.Writer) error { return WriteGainChart(w, title, curves...) }},
		}
		for _, c := range charts {
			var b bytes.Buffer
			if err := c.draw(&b); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(r.Dir, c.file), b.Bytes(), 0o644); err != nil {
				return fmt.Errorf("evaluation chart: %w", err)
			}
		}
	}
	r.MetricsFile = filepath.Join(r.Dir, MetricsFile)
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("evaluation metrics: %w", err)
	}
	if err := os.WriteFile(r.MetricsFile, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("evaluation metrics: %w", err)
	}
	return nil
}
