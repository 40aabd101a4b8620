package tablesum

import (
	"context"
	"sync"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// Cache keeps the Sums Days computed of date shards, each with the version of its table, for a warehouse
// that has versions (warehouse.Versioned): a shard not written since it was read is not read again. A nil
// *Cache, or a warehouse without versions, reads every shard each time.
type Cache struct {
	mu   sync.Mutex
	sums map[string]versioned // by the shard's Ref.String()
}

type versioned struct {
	version uint64
	sum     Sum
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{sums: map[string]versioned{}} }

// Days is Days, reading only the shards the cache does not hold at their current version, in one read of
// the wildcard table for each run of consecutive dates among them.
func (c *Cache) Days(ctx context.Context, wh warehouse.Warehouse, ds warehouse.Dataset, name, from, to string) (map[string]Sum, error) {
	vw, ok := wh.(warehouse.Versioned)
	if c == nil || !ok {
		return Days(ctx, wh, ds, name, from, to)
	}
	dates, err := dateRange(from, to)
	if err != nil {
		return Days(ctx, wh, ds, name, from, to) // Days says what is wrong with the range
	}
	out := map[string]Sum{}
	type pending struct {
		date    string
		version uint64
		known   bool
	}
	var runs [][]pending
	last := -2
	for i, d := range dates {
		ref := ds.Shard(name, d).String()
		v, known := vw.Version(ds.Shard(name, d))
		if known && v == 0 {
			continue // no table: no row
		}
		c.mu.Lock()
		hit, cached := c.sums[ref]
		c.mu.Unlock()
		if known && cached && hit.version == v {
			if hit.sum.Rows > 0 {
				out[d] = hit.sum
			}
			continue
		}
		if i != last+1 {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], pending{d, v, known})
		last = i
	}
	for _, run := range runs {
		sums, err := Days(ctx, wh, ds, name, run[0].date, run[len(run)-1].date)
		if err != nil {
			return nil, err
		}
		for _, p := range run {
			s := sums[p.date]
			if s.Rows > 0 {
				out[p.date] = s
			}
			// Kept under the version seen before the read: a write since has another version, so what was
			// read is never taken for what the table holds after it.
			if p.known {
				c.mu.Lock()
				c.sums[ds.Shard(name, p.date).String()] = versioned{p.version, s}
				c.mu.Unlock()
			}
		}
	}
	return out, nil
}

// dateRange lists the dates from..to (YYYYMMDD).
func dateRange(from, to string) ([]string, error) {
	a, err := time.Parse("20060102", from)
	if err != nil {
		return nil, err
	}
	b, err := time.Parse("20060102", to)
	if err != nil {
		return nil, err
	}
	var out []string
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format("20060102"))
	}
	return out, nil
}
