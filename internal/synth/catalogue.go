package synth

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// catalogueSize is the number of regular products, about as many stock codes as the real data has.
const catalogueSize = 4000

const (
	rareShare  = 0.25
	rareFactor = 0.08
	// pricePopularity is the price, in pence, above which products sell less, as the square root of it.
	pricePopularity = 250
)

// popularitySigma spreads product popularity, and a share of rare products (seasonal or discontinued)
// sells a fraction of that: the real files have a median product on 62 lines, the 10th percentile on 3 and
// the 99th on about 1,000.
const popularitySigma = 1.0

// product is one catalogue entry with its CSV fields encoded once.
type product struct {
	code  string // StockCode field
	desc  string // Description field, quoted when it must be
	pence int    // list price
	pack  int    // units per pack: quantities are multiples of it
}

// catalogue is the product range of the synthetic shop.
type catalogue struct {
	products   []product
	popularity []float64 // weight of each product
	postage    product   // POST: foreign orders
	dotcom     product   // DOT: web orders of guests
	manual     product   // M: manual lines
	discount   product   // D: discounts, in cancellations
	carriage   product   // C2: carriage
}

// adjustmentDescriptions are the notes of stock adjustments (no customer, price zero).
var adjustmentDescriptions = []string{
	"?", "check", "damaged", "damages", "found", "adjustment", "thrown away",
	"Unsaleable, destroyed.", "sold as set on dotcom", "??", "Damaged", "amazon",
}

func newCatalogue(r *keyedRand) *catalogue {
	c := &catalogue{
		postage:  product{code: "POST", desc: "POSTAGE", pack: 1},
		dotcom:   product{code: "DOT", desc: "DOTCOM POSTAGE", pack: 1},
		manual:   product{code: "M", desc: "Manual", pack: 1},
		discount: product{code: "D", desc: "Discount", pack: 1},
		carriage: product{code: "C2", desc: "CARRIAGE", pack: 1},
	}
	r.reset(streamCatalogue, 0, 0)
	popularity := distuv.LogNormal{Mu: 0, Sigma: popularitySigma, Src: r.src()}
	priceNoise := distuv.LogNormal{Mu: 0, Sigma: 0.3, Src: r.src()}
	used := map[int]bool{}
	special := append(append([]string{}, commaDescriptions...), quoteDescriptions...)
	for len(c.products) < catalogueSize {
		base := 10002 + r.IntN(80000)
		if used[base] {
			continue
		}
		used[base] = true
		f := newFamily(r, priceNoise.Rand())
		if len(special) > 0 && r.IntN(40) == 0 {
			f = family{fixed: special[0], pence: f.pence, pack: f.pack, variants: 1}
			special = special[1:]
		}
		for v := 0; v < f.variants && len(c.products) < catalogueSize; v++ {
			code := fmt.Sprint(base)
			if f.variants > 1 || r.IntN(10) == 0 {
				code += string(rune('A' + v))
			}
			c.products = append(c.products, product{
				code: code, desc: csvField(f.describe(r, v)), pence: f.pence, pack: f.pack,
			})
			w := popularity.Rand() * math.Min(1, math.Sqrt(pricePopularity/float64(f.pence)))
			if r.Float64() < rareShare {
				w *= rareFactor
			}
			c.popularity = append(c.popularity, w)
		}
	}
	return c
}

// family is a product and its colour variants, which share a code number, a price and a pack size.
type family struct {
	pattern  int
	colours  []string
	adj      string
	theme    string
	noun     noun
	count    int
	fixed    string // a description used as it is
	pence    int
	pack     int
	variants int
	trailing bool // the real catalogue has descriptions with a trailing space
}

func newFamily(r *keyedRand, priceNoise float64) family {
	f := family{
		pattern:  r.IntN(6),
		adj:      adjectives[r.IntN(len(adjectives))],
		theme:    themes[r.IntN(len(themes))],
		noun:     nouns[r.IntN(len(nouns))],
		variants: 1,
	}
	if r.Float64() < 0.3 {
		f.variants = 2 + r.IntN(4)
	}
	for _, i := range r.Perm(len(colours))[:f.variants] {
		f.colours = append(f.colours, colours[i])
	}
	f.trailing = r.Float64() < 0.04
	pence := float64(f.noun.pence) * priceNoise
	f.pack = f.noun.packs[r.IntN(len(f.noun.packs))]
	switch f.pattern {
	case 3: // SET OF n
		f.count = []int{2, 3, 4, 6}[r.IntN(4)]
		pence *= 0.45 * float64(f.count)
		f.pack = max(1, f.pack/f.count)
	case 4: // PACK OF n, for small things only
		if f.noun.pence >= 100 {
			f.pattern = 0
			break
		}
		f.count = []int{12, 20, 60, 72}[r.IntN(4)]
		pence = math.Max(29, pence*0.4)
		f.variants, f.colours = 1, f.colours[:1]
	}
	f.pence = roundPence(pence)
	return f
}

func (f family) describe(r *keyedRand, variant int) string {
	if f.fixed != "" {
		return f.fixed
	}
	c, n := f.colours[variant], f.noun.name
	var s string
	switch f.pattern {
	case 0:
		s = c + " " + f.theme + " " + n
	case 1:
		s = f.adj + " " + c + " " + n
	case 2:
		s = f.adj + " " + n + " " + c + " " + f.theme
	case 3:
		s = fmt.Sprintf("SET OF %d %s %s %s", f.count, c, f.theme, plural(n))
	case 4:
		s = fmt.Sprintf("PACK OF %d %s %s", f.count, f.theme, n)
	default:
		s = f.theme + " " + f.adj + " " + n + " " + c
	}
	if f.trailing {
		s += " "
	}
	return s
}

// roundPence rounds a price to the price points of the real catalogue: pennies under a pound, then 5p,
// then 25p above ten pounds.
func roundPence(p float64) int {
	switch {
	case p < 100:
		return max(1, int(math.Round(p)))
	case p < 1000:
		return int(math.Round(p/5)) * 5
	default:
		return int(math.Round(p/25)) * 25
	}
}

// csvField encodes s as a CSV field the way the real files do (Python's minimal quoting): quoted only when it
// holds a comma, a double quote or a line break, with quotes doubled.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func plural(noun string) string {
	if strings.HasSuffix(noun, "S") {
		return noun
	}
	return noun + "S"
}
