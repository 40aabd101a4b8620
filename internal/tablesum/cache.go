package tablesum

import (
	"context"
	"sync"

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

// Days is Days for the consecutive dates, oldest first (as pipeline.Dates lists them), reading only the
// shards the cache does not hold at their current version, in one read of the wildcard table for each run of
// consecutive dates among them.
func (c *Cache) Days(ctx context.Context, wh warehouse.Warehouse, ds warehouse.Dataset, name string, dates []string) (map[string]Sum, error) {
	if len(dates) == 0 {
		return map[string]Sum{}, nil
	}
	vw, ok := wh.(warehouse.Versioned)
	if c == nil || !ok {
		return Days(ctx, wh, ds, name, dates[0], dates[len(dates)-1])
	}
	out := map[string]Sum{}
	type pending struct {
		date, ref string
		version   uint64
		known     bool
	}
	var runs [][]pending
	last := -2
	for i, d := range dates {
		shard := ds.Shard(name, d)
		v, known := vw.Version(shard)
		if known && v == 0 {
			continue // no table: no row
		}
		ref := shard.String()
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
		runs[len(runs)-1] = append(runs[len(runs)-1], pending{d, ref, v, known})
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
				c.sums[p.ref] = versioned{p.version, s}
				c.mu.Unlock()
			}
		}
	}
	return out, nil
}
