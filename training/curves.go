package training

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

var (
	perfectColour = color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}
	greyColour    = color.Gray{Y: 0x99}
)

// Curve is one predictor's rows: actual values and its predictions.
type Curve struct {
	Name      string
	Actual    []float64
	Predicted []float64
	Colour    color.Color
}

// WriteCalibrationChart draws, for each curve, the mean actual against the mean predicted value of each
// decile of predictions (log-log, with the diagonal of a perfect calibration), as a PNG.
func WriteCalibrationChart(w io.Writer, title string, curves ...Curve) error {
	plt := plot.New()
	plt.Title.Text = title
	plt.X.Label.Text = "mean predicted value of the decile"
	plt.Y.Label.Text = "mean actual value of the decile"
	plt.X.Scale, plt.Y.Scale = plot.LogScale{}, plot.LogScale{}
	plt.X.Tick.Marker, plt.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range curves {
		var pts plotter.XYs
		for _, d := range Deciles(c.Actual, c.Predicted) {
			x, y := float64(d.MeanPredicted), float64(d.MeanActual)
			if x > 0 && y > 0 { // a log scale shows positive means only
				pts = append(pts, plotter.XY{X: x, Y: y})
				lo, hi = min(lo, x, y), max(hi, x, y)
			}
		}
		if len(pts) == 0 {
			continue
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return fmt.Errorf("calibration chart: %w", err)
		}
		line.Color, points.Color = c.Colour, c.Colour
		points.Shape = draw.CircleGlyph{}
		plt.Add(line, points)
		plt.Legend.Add(c.Name, line, points)
	}
	if lo < hi {
		if err := addDiagonal(plt, "perfect calibration", lo, hi); err != nil {
			return fmt.Errorf("calibration chart: %w", err)
		}
	}
	plt.Legend.Top, plt.Legend.Left = true, true
	plt.Add(plotter.NewGrid())
	return writePNG(w, plt, "calibration chart")
}

// WriteGainChart draws, for each curve, the cumulative share of the actual value over the share of rows
// ranked by prediction (highest first), with the perfect ranking and a random one, as a PNG.
func WriteGainChart(w io.Writer, title string, curves ...Curve) error {
	plt := plot.New()
	plt.Title.Text = title
	plt.X.Label.Text = "share of first purchases, highest predictions first"
	plt.Y.Label.Text = "share of the actual value"
	plt.X.Min, plt.X.Max, plt.Y.Min, plt.Y.Max = 0, 1, 0, 1
	if len(curves) > 0 {
		perfect := Curve{Name: "perfect ranking", Actual: curves[0].Actual, Predicted: curves[0].Actual, Colour: perfectColour}
		curves = append(curves, perfect)
	}
	for _, c := range curves {
		g := gainCurve(c.Actual, c.Predicted)
		if g == nil {
			continue
		}
		pts := plotter.XYs{{X: 0, Y: 0}}
		step := max(1, len(g)/200)
		for i := step - 1; i < len(g); i += step {
			pts = append(pts, plotter.XY{X: float64(i+1) / float64(len(g)), Y: g[i]})
		}
		pts = append(pts, plotter.XY{X: 1, Y: 1})
		line, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("gain chart: %w", err)
		}
		line.Color, line.Width = c.Colour, vg.Points(1.5)
		plt.Add(line)
		plt.Legend.Add(c.Name, line)
	}
	if err := addDiagonal(plt, "random", 0, 1); err != nil {
		return fmt.Errorf("gain chart: %w", err)
	}
	plt.Legend.Top, plt.Legend.Left = false, false
	plt.Legend.XOffs, plt.Legend.YOffs = -vg.Millimeter*2, vg.Millimeter*2
	plt.Add(plotter.NewGrid())
	return writePNG(w, plt, "gain chart")
}

// addDiagonal adds the dashed line y = x from lo to hi, named in the legend.
func addDiagonal(plt *plot.Plot, name string, lo, hi float64) error {
	diag, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
	if err != nil {
		return err
	}
	diag.Color, diag.Dashes = greyColour, plotutil.Dashes(1)
	plt.Add(diag)
	plt.Legend.Add(name, diag)
	return nil
}

func writePNG(w io.Writer, plt *plot.Plot, what string) error {
	img := vgimg.New(6*vg.Inch, 4.5*vg.Inch)
	plt.Draw(draw.New(img))
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(w); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
