package synth

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Cancellations: about one purchase in five is partly cancelled later, most often within weeks, by an
// invoice numbered "C…" with negative quantities of some of its lines.
const (
	cancelShare     = 0.25
	cancelLagMedian = 6.0 // days
	cancelLagSigma  = 1.5
	cancelOneLine   = 0.6 // share of cancellations of a single line
	cancelLinesMean = 2.5 // scale of the exponential behind the number of lines beyond two
	fullCancelShare = 0.75
	discountShare   = 0.02 // cancellations that are a discount line instead
)

// drawCancel decides whether purchase k of a customer is cancelled, and after how many days.
func drawCancel(r *keyedRand) (lag int, ok bool) {
	if r.Float64() >= cancelShare {
		return 0, false
	}
	lag = int(distuv.LogNormal{Mu: math.Log(cancelLagMedian), Sigma: cancelLagSigma, Src: r.src()}.Rand())
	return lag, true
}

// cancellation turns the lines of the cancelled purchase into the lines that cancel part of it.
func (b *baskets) cancellation(r *keyedRand, bought []line) []line {
	if r.Float64() < discountShare {
		value := 0
		for _, l := range bought {
			value += l.qty * l.pence
		}
		pence := max(1, roundPence(float64(value)*(0.05+0.1*r.Float64())))
		b.lines = append(b.lines[:0], productLine(&b.cat.discount, -1, pence))
		return b.lines
	}
	m := 1
	if r.Float64() >= cancelOneLine {
		m = 2 + int(r.ExpFloat64()*cancelLinesMean)
	}
	m = min(m, len(bought))
	// A partial Fisher-Yates shuffle moves m distinct lines to the front, in place.
	for i := range m {
		j := i + r.IntN(len(bought)-i)
		bought[i], bought[j] = bought[j], bought[i]
		qty := bought[i].qty
		if qty > 1 && r.Float64() >= fullCancelShare {
			qty = 1 + r.IntN(qty-1)
		}
		bought[i].qty = -qty
	}
	return bought[:m]
}
