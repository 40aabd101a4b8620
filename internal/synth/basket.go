package synth

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Shapes of baskets, measured on the real files.
const (
	favouriteCount = 12   // products a registered customer comes back to
	favouriteShare = 0.35 // share of a repeat customer's lines taken from them
	postageShare   = 0.55 // share of foreign orders with a POSTAGE line
	manualShare    = 0.015
	bulkDiscount   = 0.85 // price factor for four packs or more
	webPriceFactor = 2.01 // web-shop prices of guest orders against list prices
	webLinesMedian = 110
	webLinesSigma  = 0.8
	dotcomMedian   = 185 // DOTCOM POSTAGE, in pounds
	dotcomSigma    = 0.83
)

// line is one invoice line before formatting.
type line struct {
	code, desc string // encoded CSV fields
	qty        int
	pence      int
}

func productLine(p *product, qty, pence int) line {
	return line{code: p.code, desc: p.desc, qty: qty, pence: pence}
}

// sampler draws products by popularity from one keyed generator.
type sampler struct {
	r   *keyedRand
	cat distuv.Categorical
}

func newSampler(seed uint64, c *catalogue) *sampler {
	r := newKeyedRand(seed)
	return &sampler{r: r, cat: distuv.NewCategorical(c.popularity, r.src())}
}

func (s *sampler) product(c *catalogue) *product { return &c.products[int(s.cat.Rand())] }

// baskets builds the lines of invoices into a reused buffer.
type baskets struct {
	cat          *catalogue
	lines        []line
	favourites   [favouriteCount]*product
	favouritesOf uint64   // customer id + 1 whose favourites are loaded; 0 for none
	basket       *sampler // per purchase
	fav          *sampler // per customer
}

func newBaskets(seed uint64, c *catalogue) *baskets {
	return &baskets{cat: c, basket: newSampler(seed, c), fav: newSampler(seed, c)}
}

// registered returns the lines of purchase k of customer id. The result is valid until the next call; the
// same arguments always give the same lines, so a cancellation can find what it cancels.
func (b *baskets) registered(t *traits, id uint32, k uint32) []line {
	b.lines = b.lines[:0]
	r := b.basket.r.reset(streamBasket, uint64(id), uint64(k))
	n := int(math.Round(distuv.LogNormal{Mu: t.linesMu, Sigma: linesSigma, Src: r.src()}.Rand()))
	n = min(max(n, 1), maxLines)
	if c := countries[t.country]; c.postage > 0 && r.Float64() < postageShare {
		qty := 1 + r.IntN(3)/2 + r.IntN(2)*r.IntN(2)
		b.lines = append(b.lines, productLine(&b.cat.postage, qty, int(c.postage*100)))
	}
	b.loadFavourites(id)
	for range n {
		var p *product
		if r.Float64() < favouriteShare {
			p = b.favourites[r.IntN(favouriteCount)]
		} else {
			p = b.basket.product(b.cat)
		}
		qty := b.quantity(r, t, p)
		pence := p.pence
		if qty >= 4*p.pack && pence > 50 {
			pence = roundPence(float64(pence) * bulkDiscount)
		}
		b.lines = append(b.lines, productLine(p, qty, pence))
	}
	if r.Float64() < manualShare {
		pence := roundPence(distuv.LogNormal{Mu: math.Log(250), Sigma: 1, Src: r.src()}.Rand())
		b.lines = append(b.lines, productLine(&b.cat.manual, 1, pence))
	}
	return b.lines
}

// loadFavourites draws the products customer id keeps coming back to.
func (b *baskets) loadFavourites(id uint32) {
	if b.favouritesOf == uint64(id)+1 {
		return
	}
	b.fav.r.reset(streamFavourites, uint64(id), 0)
	for i := range b.favourites {
		b.favourites[i] = b.fav.product(b.cat)
	}
	b.favouritesOf = uint64(id) + 1
}

// quantity draws how many units of p a line has: small customers buy single units, others whole packs.
func (b *baskets) quantity(r *keyedRand, t *traits, p *product) int {
	if r.Float64() < t.unitBuy {
		return 1 + int(r.ExpFloat64()*0.8*t.qtyScale)
	}
	return p.pack * (1 + int(r.ExpFloat64()*t.qtyScale))
}
