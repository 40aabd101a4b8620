package synth

import "math"

// Trading hours: invoices fall between 07:00 and 20:59, on Sundays between 10:00 and 16:59.
const (
	openHour, closeHour             = 7, 21
	sundayOpenHour, sundayCloseHour = 10, 17
)

// Invoices thin out slowly into the evening and quickly before the morning peak: the noise around an
// hour is a split normal, narrower before it than after.
const earlySpread, lateSpread = 0.7, 1.2

// drawMinute draws the minute of the day of an invoice around hour mean, within trading hours: a draw
// outside them is drawn again, a few times, and then clamped.
func drawMinute(r *keyedRand, mean, sd float64, sunday bool) int {
	open, close := float64(openHour), float64(closeHour)
	if sunday {
		open, close = sundayOpenHour, sundayCloseHour
	}
	h := mean
	for range 4 {
		n := r.NormFloat64()
		if n < 0 {
			h = mean + n*sd*earlySpread
		} else {
			h = mean + n*sd*lateSpread
		}
		if h >= open && h < close {
			return int(h * 60)
		}
	}
	return int(math.Min(math.Max(h, open), close-1.0/60) * 60)
}
