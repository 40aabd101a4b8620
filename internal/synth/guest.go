package synth

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Guests are orders without a CustomerID: in the real files a quarter of all lines, mostly from large web
// orders, plus stock adjustments and a few small counter sales.
const (
	guestRatio      = 0.19 // guest invoices per registered purchase on the same day
	adjustmentShare = 0.45 // of guest invoices: one-line stock adjustments at price zero
	smallGuestShare = 0.30 // of guest invoices: one to three lines at list prices
	adjustmentNoted = 0.25 // of adjustments: those with a note in Description
	guestAbroad     = 0.03 // share of guest orders from abroad
)

// guestKind tells the kinds of guest invoices apart.
type guestKind uint8

const (
	guestWeb guestKind = iota
	guestAdjustment
	guestSmall
)

// drawGuest draws the kind, hour and country of guest invoice j of a day.
func drawGuest(r *keyedRand, sunday bool, countries distuv.Categorical) (guestKind, int, int) {
	kind := guestWeb
	switch u := r.Float64(); {
	case u < adjustmentShare:
		kind = guestAdjustment
	case u < adjustmentShare+smallGuestShare:
		kind = guestSmall
	}
	minute := drawMinute(r, hourMean, hourNoise+hourSpread, sunday)
	country := ukCountry
	if kind != guestAdjustment && r.Float64() < guestAbroad {
		country = int(countries.Rand())
	}
	return kind, minute, country
}

// guest returns the lines of guest invoice j of day d.
func (b *baskets) guest(kind guestKind, d int, j uint32) []line {
	b.lines = b.lines[:0]
	r := b.basket.r.reset(streamGuestBasket, uint64(d), uint64(j))
	switch kind {
	case guestAdjustment:
		p := b.basket.product(b.cat)
		desc := ""
		if r.Float64() < adjustmentNoted {
			desc = adjustmentDescriptions[r.IntN(len(adjustmentDescriptions))]
		}
		qty := 1 + int(r.ExpFloat64()*30)
		if r.Float64() < 0.6 {
			qty = -qty
		}
		b.lines = append(b.lines, line{code: p.code, desc: csvField(desc), qty: qty})
	case guestSmall:
		for range 1 + r.IntN(3) {
			p := b.basket.product(b.cat)
			b.lines = append(b.lines, productLine(p, 1+int(r.ExpFloat64()*2), p.pence))
		}
	default:
		n := distuv.LogNormal{Mu: math.Log(webLinesMedian), Sigma: webLinesSigma, Src: r.src()}.Rand()
		for range min(max(int(n), 2), maxLines) {
			p := b.basket.product(b.cat)
			qty := 1 + int(r.ExpFloat64()*0.7)
			b.lines = append(b.lines, productLine(p, qty, roundPence(float64(p.pence)*webPriceFactor)))
		}
		dot := distuv.LogNormal{Mu: math.Log(dotcomMedian * 100), Sigma: dotcomSigma, Src: r.src()}.Rand()
		b.lines = append(b.lines, productLine(&b.cat.dotcom, 1, int(math.Round(dot))))
	}
	return b.lines
}
