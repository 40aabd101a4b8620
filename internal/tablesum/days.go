package tablesum

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/warehouse"
)

// dayColumn carries each row's shard date in the read of Days; it is not part of the rows' content.
const dayColumn = "pltv_shard_date"

// Days fingerprints the date shards name_YYYYMMDD of a dataset whose dates lie in from..to, in one read of
// the wildcard table, by date. A date without a shard, or with an empty one, is not in the map: both hold no
// row. Each Sum equals what Table gives for the shard alone.
func Days(ctx context.Context, wh warehouse.Warehouse, ds warehouse.Dataset, name, from, to string) (map[string]Sum, error) {
	wildcard := ds.Table(name + "_*")
	sql := fmt.Sprintf("SELECT _TABLE_SUFFIX AS %s, t.* FROM %s AS t WHERE _TABLE_SUFFIX BETWEEN @from AND @to",
		dayColumn, wildcard.SQL())
	sums := map[string]*summer{}
	err := wh.Read(ctx, warehouse.ReadRequest{SQL: sql, Params: map[string]any{"from": from, "to": to}, BatchSize: 5000},
		func(b warehouse.Batch) error {
			day := -1
			for i, f := range b.Schema {
				if f.Name == dayColumn {
					day = i
				}
			}
			if day < 0 {
				return fmt.Errorf("the read has no column %s", dayColumn)
			}
			order := columnOrder(b.Schema, day)
			for _, row := range b.Rows {
				d, _ := row[day].(string)
				s := sums[d]
				if s == nil {
					s = &summer{}
					sums[d] = s
				}
				s.add(b.Schema, order, row)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("checksum %s for %s..%s: %w", wildcard, from, to, err)
	}
	out := make(map[string]Sum, len(sums))
	for d, s := range sums {
		out[d] = s.sum()
	}
	return out, nil
}
