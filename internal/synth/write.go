package synth

import (
	"context"
	"fmt"
	"time"
)

// ctxCheckEvery is how many invoices are written between two looks at the context.
const ctxCheckEvery = 4096

// writeDay numbers the sorted invoices of a day, draws their lines and writes them to the day's file.
func (g *generator) writeDay(ctx context.Context, sink daySink, d int) (int64, error) {
	day := g.cal.days[d]
	w, err := sink.begin(day)
	if err != nil {
		return 0, err
	}
	g.sum.Files++
	g.sum.Bytes += int64(len(header))
	var lines int64
	for i := range g.invoices {
		if i%ctxCheckEvery == ctxCheckEvery-1 {
			if err := ctx.Err(); err != nil {
				sink.abort()
				return lines, err
			}
		}
		inv := &g.invoices[i]
		g.date = stamp(g.date, day, inv.minute)
		ls, customer, cancel := g.linesOf(d, inv)
		country := countries[inv.t.country].name
		for j := range ls {
			b := appendLine(w.AvailableBuffer(), cancel, g.nextNo, &ls[j], g.date, customer, country)
			if _, err := w.Write(b); err != nil {
				sink.abort()
				return lines, fmt.Errorf("write %s: %w", day.Format(time.DateOnly), err)
			}
			g.sum.Bytes += int64(len(b))
		}
		n := int64(len(ls))
		lines += n
		g.sum.Invoices++
		switch {
		case cancel:
			g.sum.Cancellations++
			g.sum.CancelLines += n
		case customer < 0:
			g.sum.GuestLines += n
		}
		g.nextNo++
	}
	g.sum.Lines += lines
	if g.sum.First.IsZero() {
		g.sum.First = day
	}
	g.sum.Last = day
	return lines, sink.end()
}

// linesOf draws the lines of an invoice and tells its CustomerID (-1 for guests) and whether it cancels.
func (g *generator) linesOf(d int, inv *invoice) ([]line, int64, bool) {
	customer := customerIDBase + int64(inv.id)
	switch inv.kind {
	case invoiceCancel:
		bought := g.baskets.registered(&inv.t, inv.id, inv.k)
		r := g.cancelRand.reset(streamCancelLines, uint64(inv.id), uint64(inv.k))
		return g.baskets.cancellation(r, bought), customer, true
	case invoiceGuest:
		return g.baskets.guest(inv.guest, d, inv.id), -1, false
	default:
		return g.baskets.registered(&inv.t, inv.id, inv.k), customer, false
	}
}
