package synth

import (
	"math"
	"sort"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// weekdayWeight is the relative trading volume of each weekday, measured on the real files (Saturday has
// no trading at all, Sunday about two thirds of a weekday).
var weekdayWeight = [7]float64{
	time.Sunday: 0.65, time.Monday: 0.95, time.Tuesday: 1, time.Wednesday: 0.93,
	time.Thursday: 1.02, time.Friday: 0.84, time.Saturday: 0,
}

// monthWeight is the seasonality of the real data: quiet in late winter, a rush before Christmas.
var monthWeight = [13]float64{
	time.January: 0.85, time.February: 0.75, time.March: 0.9, time.April: 0.8, time.May: 0.9,
	time.June: 0.9, time.July: 0.9, time.August: 0.9, time.September: 1.2, time.October: 1.35,
	time.November: 1.7, time.December: 1.1,
}

// dayNoiseSigma spreads the weights of single days as the real daily volumes vary.
const dayNoiseSigma = 0.25

// calendar holds each day of the period with its trading weight and the running sum of the weights, which
// serves as the clock of customers' purchase processes: a purchase gap is measured in trading activity, so
// no purchase falls on a closed day and quiet days get fewer.
type calendar struct {
	days   []time.Time
	weight []float64
	cum    []float64 // cum[d] = sum of weight[:d]; len(days)+1 entries
}

func closed(t time.Time) bool {
	_, m, d := t.Date()
	return t.Weekday() == time.Saturday || (m == time.December && (d == 25 || d == 26)) ||
		(m == time.January && d == 1)
}

func newCalendar(start time.Time, days int, r *keyedRand) *calendar {
	c := &calendar{days: make([]time.Time, days), weight: make([]float64, days), cum: make([]float64, days+1)}
	noise := distuv.LogNormal{Mu: -dayNoiseSigma * dayNoiseSigma / 2, Sigma: dayNoiseSigma, Src: r.src()}
	for d := range days {
		t := start.AddDate(0, 0, d)
		c.days[d] = t
		n := noise.Rand() // drawn for every day so a closure does not shift the draws of later days
		if !closed(t) {
			c.weight[d] = weekdayWeight[t.Weekday()] * monthWeight[t.Month()] * n
		}
		c.cum[d+1] = c.cum[d] + c.weight[d]
	}
	return c
}

func (c *calendar) total() float64 { return c.cum[len(c.days)] }

// dayAt returns the day whose share of the activity clock contains a, or -1 past the end.
func (c *calendar) dayAt(a float64) int {
	if a >= c.total() {
		return -1
	}
	// The first d with cum[d+1] > a; closed days have zero width and are never returned.
	return sort.Search(len(c.days), func(d int) bool { return c.cum[d+1] > a })
}

// allocate splits n items over the days in proportion to their weights, exactly and without randomness
// (largest-remainder rounding of the running sum).
func (c *calendar) allocate(n int) []int {
	out := make([]int, len(c.days))
	if c.total() == 0 {
		return out
	}
	prev := 0
	for d := range c.days {
		next := int(math.Round(float64(n) * c.cum[d+1] / c.total()))
		out[d] = next - prev
		prev = next
	}
	return out
}
