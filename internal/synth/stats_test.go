package synth

import (
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pltv/pltv/internal/testdata"
)

// shape is what the tests compare between the generated and the real data.
type shape struct {
	guestShare   float64 // lines without CustomerID
	cancelShare  float64 // lines of "C" invoices
	ukShare      float64 // lines from the United Kingdom
	zeroPrice    float64 // lines at price zero (stock adjustments)
	linesMedian  float64 // lines per invoice, cancellations excluded
	priceMedian  float64 // unit price of sold lines
	qtyMedian    float64 // quantity of sold lines
	countries    int
	sundayFactor float64 // lines per Sunday file against lines per weekday file
}

func shapeOf(rows []row) shape {
	var s shape
	linesPerInvoice := map[string]int{}
	countries := map[string]bool{}
	var prices, qtys []float64
	days := map[time.Time]bool{}
	sundays, sundayLines, weekdays, weekdayLines := 0, 0, 0, 0
	for _, r := range rows {
		countries[r.country] = true
		if r.customer == "" {
			s.guestShare++
		}
		if r.cancel() {
			s.cancelShare++
		} else {
			linesPerInvoice[r.invoice]++
			if r.price > 0 && r.qty > 0 {
				prices = append(prices, r.price)
				qtys = append(qtys, float64(r.qty))
			}
		}
		if r.country == "United Kingdom" {
			s.ukShare++
		}
		if r.price == 0 {
			s.zeroPrice++
		}
		y, m, d := r.at.Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		sunday := day.Weekday() == time.Sunday
		if !days[day] {
			days[day] = true
			if sunday {
				sundays++
			} else {
				weekdays++
			}
		}
		if sunday {
			sundayLines++
		} else {
			weekdayLines++
		}
	}
	n := float64(len(rows))
	s.guestShare /= n
	s.cancelShare /= n
	s.ukShare /= n
	s.zeroPrice /= n
	var lines []float64
	for _, l := range linesPerInvoice {
		lines = append(lines, float64(l))
	}
	s.linesMedian, s.priceMedian, s.qtyMedian = median(lines), median(prices), median(qtys)
	s.countries = len(countries)
	if sundays > 0 && weekdays > 0 {
		s.sundayFactor = float64(sundayLines) / float64(sundays) / (float64(weekdayLines) / float64(weekdays))
	}
	return s
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

func TestGeneratedDataHasTheShapeOfTheRealData(t *testing.T) {
	t.Parallel()
	dir, _ := generate(t, Options{Customers: 1500, Days: 120, Seed: 11})
	gen := shapeOf(readDir(t, dir))
	t.Logf("generated: %+v", gen)
	t.Run("ranges", func(t *testing.T) {
		checks := []struct {
			name     string
			got      float64
			min, max float64
		}{
			{"guest share", gen.guestShare, 0.18, 0.32},
			{"cancellation share", gen.cancelShare, 0.008, 0.035},
			{"United Kingdom share", gen.ukShare, 0.85, 0.96},
			{"price-zero adjustments share", gen.zeroPrice, 0.0005, 0.01},
			{"median lines per invoice", gen.linesMedian, 6, 25},
			{"median unit price", gen.priceMedian, 1.2, 3.5},
			{"median quantity", gen.qtyMedian, 2, 8},
			{"countries", float64(gen.countries), 12, float64(len(countries))},
			{"Sunday volume against a weekday", gen.sundayFactor, 0.4, 0.9},
		}
		for _, c := range checks {
			if c.got < c.min || c.got > c.max {
				t.Errorf("%s = %.4f, want %.4f..%.4f", c.name, c.got, c.min, c.max)
			}
		}
	})
	t.Run("like the real files", func(t *testing.T) {
		want := shapeOf(readRealSample(t))
		t.Logf("real: %+v", want)
		ratios := []struct {
			name      string
			got, want float64
		}{
			{"guest share", gen.guestShare, want.guestShare},
			{"cancellation share", gen.cancelShare, want.cancelShare},
			{"United Kingdom share", gen.ukShare, want.ukShare},
			{"median lines per invoice", gen.linesMedian, want.linesMedian},
			{"median unit price", gen.priceMedian, want.priceMedian},
			{"median quantity", gen.qtyMedian, want.qtyMedian},
			{"Sunday volume against a weekday", gen.sundayFactor, want.sundayFactor},
		}
		for _, r := range ratios {
			if q := r.got / r.want; q < 0.6 || q > 1.6 {
				t.Errorf("%s: generated %.4f, real %.4f", r.name, r.got, r.want)
			}
		}
	})
}

// customerValues returns, for customers whose first purchase leaves horizon days before the end of the
// data, the value of the first invoice and the net value of what followed within the horizon.
func customerValues(rows []row, horizon time.Duration) (first, later []float64) {
	type acc struct {
		start        time.Time
		firstInvoice string
		first, later float64
	}
	var end time.Time
	byCustomer := map[string]*acc{}
	var order []string
	for _, r := range rows {
		end = r.at
		if r.customer == "" {
			continue
		}
		a := byCustomer[r.customer]
		if a == nil {
			a = &acc{start: r.at, firstInvoice: r.invoice}
			byCustomer[r.customer] = a
			order = append(order, r.customer)
		}
		v := float64(r.qty) * r.price
		switch {
		case r.invoice == a.firstInvoice:
			a.first += v
		case r.at.Sub(a.start) <= horizon:
			a.later += v
		}
	}
	for _, c := range order {
		if a := byCustomer[c]; end.Sub(a.start) > horizon && a.first > 0 {
			first = append(first, a.first)
			later = append(later, a.later)
		}
	}
	return first, later
}

func pearson(a, b []float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

func TestLaterValueIsPartlyPredictableFromTheFirstBasket(t *testing.T) {
	t.Parallel()
	dir, sum := generate(t, Options{Customers: 2000, Days: 200, Seed: 13})
	first, later := customerValues(readDir(t, dir), 90*24*time.Hour)
	if len(first) < 1000 {
		t.Fatalf("%d customers with 90 days of history, want at least 1000", len(first))
	}
	repeat := float64(sum.RepeatCustomers) / float64(sum.Customers)
	if repeat < 0.25 || repeat > 0.8 {
		t.Errorf("repeat rate %.3f, want 0.25..0.8", repeat)
	}
	var logFirst, logLater []float64
	buyers := 0
	for i := range first {
		logFirst = append(logFirst, math.Log(first[i]))
		logLater = append(logLater, math.Log1p(math.Max(later[i], 0)))
		if later[i] > 0 {
			buyers++
		}
	}
	if share := float64(buyers) / float64(len(first)); share < 0.2 || share > 0.8 {
		t.Errorf("%.3f of customers buy again within 90 days, want 0.2..0.8", share)
	}
	// The real data has 0.18: the first basket tells something, far from everything.
	r := pearson(logFirst, logLater)
	t.Logf("%d customers, repeat rate %.3f, buy again within 90 days %.3f, correlation %.3f",
		len(first), repeat, float64(buyers)/float64(len(first)), r)
	if r < 0.1 || r > 0.7 {
		t.Errorf("correlation of log first basket value with log later value %.3f, want 0.1..0.7", r)
	}
}

// realDataDir locates the shipped Online Retail day files.
func realDataDir(t *testing.T) string {
	t.Helper()
	return testdata.OnlineRetail(t)
}

// readRealSample parses every seventh real day file (7 is prime to the 6-day trading week) with the checks
// the generated files are held to, so that those checks are known to describe the real format.
func readRealSample(t *testing.T) []row {
	t.Helper()
	realDir := realDataDir(t)
	files, err := filepath.Glob(filepath.Join(realDir, "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no real files in %s: %v", realDir, err)
	}
	slices.Sort(files)
	var rows []row
	for i := 0; i < len(files); i += 7 {
		day, err := readDay(files[i])
		if err != nil {
			t.Fatalf("the real file %s does not have the shape the generated ones are held to: %v", files[i], err)
		}
		rows = append(rows, day...)
	}
	return rows
}
