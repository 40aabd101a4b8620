package synth

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// The parameters of the customers' latent types. An engagement z ~ N(0,1) per customer ties them
// together: engaged customers buy more often, drop out less, spend more per basket and shop earlier in the
// day, so the first basket says something, but not everything, about what follows.
const (
	// Purchase rate λ, in purchases per average trading day: Gamma(rateShape, rateShape/rateMean),
	// scaled by exp(rateEngagement·z) and by foreignRate for customers abroad. The gaps between purchases
	// are Gamma(gapShape) with mean 1/λ: more regular than a Poisson process, as restocking is.
	rateShape      = 1.2
	rateMean       = 0.024
	rateEngagement = 0.8
	foreignRate    = 0.9
	maxRate        = 1.0
	gapShape       = 2.0
	// Dropout probability after each purchase: Beta(dropoutAlpha, dropoutBeta·exp(dropoutEngagement·z)).
	dropoutAlpha      = 1.0
	dropoutBeta       = 11.0
	dropoutEngagement = 0.5
	// Spend level s = spendEngagement·z + √(1−spendEngagement²)·ε, plus foreignSpend abroad. A basket
	// has lognormal many lines with median exp(linesMu + linesSpend·s) and spread linesSigma.
	spendEngagement = 0.7
	foreignSpend    = 0.6
	linesMu         = 2.45
	linesSpend      = 0.45
	linesSigma      = 0.85
	maxLines        = 600
	// quantities grow with exp(quantitySpend·s).
	quantitySpend = 0.2
	// Preferred hour: hourMean − hourEngagement·z + N(0, hourSpread); each invoice adds a split normal
	// noise of scale hourNoise (see drawMinute).
	hourMean       = 13.7
	hourEngagement = 0.4
	hourSpread     = 0.8
	hourNoise      = 2.6
)

// traits is a registered customer's latent type, derived from the seed and the customer's number alone.
type traits struct {
	country  int
	rate     float64 // λ
	dropout  float64 // p
	linesMu  float64 // log median lines per basket
	qtyScale float64
	hour     float64 // preferred hour of the day
	unitBuy  float64 // probability that a line is bought in units rather than in packs
}

// model draws customer traits.
type model struct {
	countries distuv.Categorical
	r         *keyedRand
}

func newModel(seed uint64) *model {
	r := newKeyedRand(seed)
	return &model{countries: distuv.NewCategorical(countryWeights(), r.src()), r: r}
}

func (m *model) traits(id uint32) traits {
	r := m.r.reset(streamTraits, uint64(id), 0)
	z := r.NormFloat64()
	t := traits{country: int(m.countries.Rand())}
	foreign := t.country != ukCountry
	rate := distuv.Gamma{Alpha: rateShape, Beta: rateShape / rateMean, Src: r.src()}.Rand()
	rate *= math.Exp(rateEngagement*z - rateEngagement*rateEngagement/2)
	if foreign {
		rate *= foreignRate
	}
	t.rate = math.Min(rate, maxRate)
	t.dropout = distuv.Beta{Alpha: dropoutAlpha, Beta: dropoutBeta * math.Exp(dropoutEngagement*z), Src: r.src()}.Rand()
	s := spendEngagement*z + math.Sqrt(1-spendEngagement*spendEngagement)*r.NormFloat64()
	if foreign {
		s += foreignSpend
	}
	t.linesMu = linesMu + linesSpend*s
	t.qtyScale = math.Exp(quantitySpend * s)
	t.unitBuy = 1 / (1 + math.Exp(0.8+0.9*s))
	t.hour = hourMean - hourEngagement*z + hourSpread*r.NormFloat64()
	return t
}
