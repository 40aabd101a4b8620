package training

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Chart colours: the prediction in blue, the actual value in orange.
var (
	predictedColour = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	actualColour    = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
)

// Panel is one decile chart: the mean predicted and actual value of each decile of predictions.
type Panel struct {
	Title   string
	Metrics Metrics
}

// WriteDecileChart draws the panels side by side, each a bar chart of mean predicted against mean actual
// value per decile of predictions, as a PNG.
func WriteDecileChart(w io.Writer, panels ...Panel) error {
	const width, height = 6 * vg.Inch, 4.5 * vg.Inch
	img := vgimg.New(width*vg.Length(len(panels)), height)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: len(panels), PadX: vg.Millimeter * 4}
	for i, p := range panels {
		plt, err := decilePlot(p)
		if err != nil {
			return fmt.Errorf("decile chart %q: %w", p.Title, err)
		}
		plt.Draw(tiles.At(dc, i, 0))
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(w); err != nil {
		return fmt.Errorf("decile chart: %w", err)
	}
	return nil
}

func decilePlot(p Panel) (*plot.Plot, error) {
	plt := plot.New()
	plt.Title.Text = fmt.Sprintf("%s\nnormalized Gini %.3f, Spearman %.3f, decile MAPE %.2f", p.Title,
		float64(p.Metrics.NormalizedGini), float64(p.Metrics.Spearman), float64(p.Metrics.DecileMAPE))
	plt.X.Label.Text = "decile of predicted value (1 = lowest)"
	plt.Y.Label.Text = "mean value per row"
	var predicted, actual plotter.Values
	var labels []string
	for _, d := range p.Metrics.Deciles {
		predicted = append(predicted, finiteOr0(d.MeanPredicted))
		actual = append(actual, finiteOr0(d.MeanActual))
		labels = append(labels, strconv.Itoa(d.Decile))
	}
	w := vg.Points(12)
	for _, s := range []struct {
		name   string
		values plotter.Values
		colour color.Color
		offset vg.Length
	}{{"predicted", predicted, predictedColour, -w / 2}, {"actual", actual, actualColour, w / 2}} {
		bars, err := plotter.NewBarChart(s.values, w)
		if err != nil {
			return nil, err
		}
		bars.Color, bars.Offset = s.colour, s.offset
		bars.LineStyle.Width = 0
		plt.Add(bars)
		plt.Legend.Add(s.name, bars)
	}
	plt.Legend.Top, plt.Legend.Left = true, true
	plt.NominalX(labels...)
	plt.Add(plotter.NewGrid())
	plt.Y.Min = 0
	plt.Y.Max *= 1.3 // room for the legend above the bars
	return plt, nil
}

func finiteOr0(n Number) float64 {
	if x := float64(n); !math.IsNaN(x) && !math.IsInf(x, 0) {
		return x
	}
	return 0
}
