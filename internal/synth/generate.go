package synth

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Generate writes the data set that o describes into o.Out, one file per trading day, and reports on
// progress one line per day (progress may be nil). With o.Transactions it first sizes the number of
// customers with a pilot run.
func Generate(ctx context.Context, o Options, progress io.Writer) (Summary, error) {
	if err := o.Validate(); err != nil {
		return Summary{}, err
	}
	if progress == nil {
		progress = io.Discard
	}
	customers := o.Customers
	if o.Transactions > 0 {
		n, err := customersFor(ctx, o)
		if err != nil {
			return Summary{}, err
		}
		customers = n
		fmt.Fprintf(progress, "sizing: about %d lines with %d customers\n", o.Transactions, customers)
	}
	sink, err := newDirSink(o.Out)
	if err != nil {
		return Summary{}, fmt.Errorf("generate: %w", err)
	}
	g := newGenerator(o.Seed, o.start(), o.Days, customers)
	g.progress = progress
	if err := g.run(ctx, sink); err != nil {
		return g.sum, fmt.Errorf("generate: %w", err)
	}
	return g.sum, nil
}

// generator walks the period day by day.
type generator struct {
	cal          *calendar
	cat          *catalogue
	model        *model
	baskets      *baskets
	arrivals     []int
	pending      schedule
	purchaseRand *keyedRand // purchase process draws
	cancelRand   *keyedRand // cancellation draws
	dayRand      *keyedRand // per-day draws
	guestRand    *keyedRand // guest invoice headers
	guestCtry    distuv.Categorical
	invoices     []invoice
	nextNo       int
	date         []byte
	progress     io.Writer
	sum          Summary
}

func newGenerator(seed uint64, start time.Time, days, customers int) *generator {
	g := &generator{
		cal:          newCalendar(start, days, newKeyedRand(seed).reset(streamCalendar, 0, 0)),
		cat:          newCatalogue(newKeyedRand(seed)),
		model:        newModel(seed),
		pending:      make(schedule, days),
		purchaseRand: newKeyedRand(seed),
		cancelRand:   newKeyedRand(seed),
		dayRand:      newKeyedRand(seed),
		guestRand:    newKeyedRand(seed),
		nextNo:       firstInvoice,
		progress:     io.Discard,
	}
	g.baskets = newBaskets(seed, g.cat)
	g.arrivals = g.cal.allocate(customers)
	g.guestCtry = distuv.NewCategorical(countryWeights(), g.guestRand.src())
	return g
}

func (g *generator) run(ctx context.Context, sink daySink) error {
	var next uint32
	for d, day := range g.cal.days {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.invoices = g.invoices[:0]
		for range g.arrivals[d] {
			g.purchase(d, next, 0)
			next++
		}
		g.sum.Customers += int64(g.arrivals[d])
		// Processing a purchase may schedule another event on the same day, so the list can grow here.
		for i := 0; i < len(g.pending[d]); i++ {
			switch e := g.pending[d][i]; e.kind() {
			case eventPurchase:
				g.purchase(d, e.id(), e.k())
			case eventCancel:
				g.cancellation(d, e.id(), e.k())
			}
		}
		g.pending[d] = nil
		g.guests(d)
		if len(g.invoices) == 0 {
			continue
		}
		slices.SortFunc(g.invoices, compareInvoices)
		lines, err := g.writeDay(ctx, sink, d)
		if err != nil {
			return err
		}
		fmt.Fprintf(g.progress, "%s %d invoices, %d lines\n", day.Format(time.DateOnly), len(g.invoices), lines)
	}
	return nil
}

// purchase adds purchase k of customer id on day d and schedules what follows it: the next purchase
// unless the customer drops out, and possibly a cancellation.
func (g *generator) purchase(d int, id, k uint32) {
	t := g.model.traits(id)
	r := g.purchaseRand.reset(streamPurchase, uint64(id), uint64(k))
	u := r.Float64()
	minute := drawMinute(r, t.hour, hourNoise, g.cal.days[d].Weekday() == time.Sunday)
	g.invoices = append(g.invoices, invoice{minute: minute, kind: invoicePurchase, id: id, k: k, t: t})
	if k == 1 {
		g.sum.RepeatCustomers++
	}
	if r.Float64() >= t.dropout && k < maxPurchases {
		gap := distuv.Gamma{Alpha: gapShape, Beta: gapShape * t.rate, Src: r.src()}.Rand()
		if nd := g.cal.dayAt(g.cal.cum[d] + u*g.cal.weight[d] + gap); nd >= 0 {
			g.pending.add(nd, makeEvent(eventPurchase, id, k+1))
		}
	}
	if lag, ok := drawCancel(g.cancelRand.reset(streamCancel, uint64(id), uint64(k))); ok {
		if nd := g.tradingDayFrom(d + lag); nd >= 0 {
			g.pending.add(nd, makeEvent(eventCancel, id, k))
		}
	}
}

// cancellation adds the cancellation of purchase k of customer id on day d. One on the day of the purchase
// comes after it.
func (g *generator) cancellation(d int, id, k uint32) {
	t := g.model.traits(id)
	r := g.cancelRand.reset(streamCancel, uint64(id), uint64(k))
	lag, _ := drawCancel(r)
	sunday := g.cal.days[d].Weekday() == time.Sunday
	minute := drawMinute(r, t.hour, hourNoise, sunday)
	if lag == 0 {
		p := g.purchaseRand.reset(streamPurchase, uint64(id), uint64(k))
		p.Float64()
		bought := drawMinute(p, t.hour, hourNoise, sunday)
		closing := closeHour*60 - 1
		if sunday {
			closing = sundayCloseHour*60 - 1
		}
		minute = min(max(bought+1+int(r.ExpFloat64()*90), bought), closing)
	}
	g.invoices = append(g.invoices, invoice{minute: minute, kind: invoiceCancel, id: id, k: k, t: t})
}

// guests adds the day's guest invoices, in proportion to its registered purchases.
func (g *generator) guests(d int) {
	purchases := 0
	for i := range g.invoices {
		if g.invoices[i].kind == invoicePurchase {
			purchases++
		}
	}
	if purchases == 0 {
		return
	}
	r := g.dayRand.reset(streamDay, uint64(d), 0)
	n := int(distuv.Poisson{Lambda: guestRatio * float64(purchases), Src: r.src()}.Rand())
	sunday := g.cal.days[d].Weekday() == time.Sunday
	for j := range uint32(n) {
		g.guestRand.reset(streamGuest, uint64(d), uint64(j))
		kind, minute, country := drawGuest(g.guestRand, sunday, g.guestCtry)
		g.invoices = append(g.invoices, invoice{
			minute: minute, kind: invoiceGuest, guest: kind, id: j, t: traits{country: country},
		})
	}
}

// tradingDayFrom returns the first trading day at or after d, or -1 past the period.
func (g *generator) tradingDayFrom(d int) int {
	for ; d < len(g.cal.days); d++ {
		if g.cal.weight[d] > 0 {
			return d
		}
	}
	return -1
}
