package synth

import (
	"context"
	"fmt"
	"math"
)

// pilotCustomers is the size of the pilot run that measures lines per customer for a period.
const pilotCustomers = 3000

// customersFor returns the number of customers that makes about o.Transactions lines over o's period,
// measured by generating a pilot of the same period and seed without writing it.
func customersFor(ctx context.Context, o Options) (int, error) {
	g := newGenerator(o.Seed, o.start(), o.Days, pilotCustomers)
	if err := g.run(ctx, newDiscardSink()); err != nil {
		return 0, fmt.Errorf("size the data set: %w", err)
	}
	if g.sum.Lines == 0 {
		return 0, fmt.Errorf("size the data set: %w: no trading day in %d days from %s",
			ErrInvalidOptions, o.Days, o.start().Format("2006-01-02"))
	}
	n := math.Round(float64(o.Transactions) * pilotCustomers / float64(g.sum.Lines))
	if n > maxCustomers {
		return 0, fmt.Errorf("size the data set: %w: %d lines need more than %d customers",
			ErrInvalidOptions, o.Transactions, maxCustomers)
	}
	return max(1, int(n)), nil
}
