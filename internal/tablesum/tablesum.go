// Package tablesum fingerprints the tables of a dataset, row count and a content checksum that does not
// depend on row order, so that two runs can be compared table by table (the fault-injection suite and the
// order-independence tests compare every table with a clean run's).
package tablesum

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// Sum is one table's fingerprint.
type Sum struct {
	Rows     int64
	Checksum string // hex; the sum of the rows' SHA-256 hashes, so row order does not matter
}

// Dataset fingerprints every table of a dataset whose name starts with one of prefixes (all when none).
// Columns are hashed by name, so column order does not matter either.
func Dataset(ctx context.Context, wh warehouse.Warehouse, ds warehouse.Dataset, prefixes ...string) (map[string]Sum, error) {
	tables, err := wh.Tables(ctx, ds, "")
	if err != nil {
		return nil, err
	}
	out := map[string]Sum{}
	for _, t := range tables {
		if !hasPrefix(t.Ref.Table, prefixes) {
			continue
		}
		s, err := Table(ctx, wh, t.Ref)
		if err != nil {
			return nil, err
		}
		out[t.Ref.Table] = s
	}
	return out, nil
}

// Table fingerprints one table.
func Table(ctx context.Context, wh warehouse.Warehouse, ref warehouse.Ref) (Sum, error) {
	var s summer
	err := wh.Read(ctx, warehouse.ReadRequest{Table: &ref, BatchSize: 5000}, func(b warehouse.Batch) error {
		order := columnOrder(b.Schema, -1)
		for _, row := range b.Rows {
			s.add(b.Schema, order, row)
		}
		return nil
	})
	if err != nil {
		return Sum{}, fmt.Errorf("checksum %s: %w", ref, err)
	}
	return s.sum(), nil
}

// summer adds up the hashes of rows.
type summer struct {
	acc [4]uint64
	n   int64
}

// add hashes one row, its columns taken in order.
func (s *summer) add(schema warehouse.Schema, order []int, row warehouse.Row) {
	var sb strings.Builder
	for _, i := range order {
		fmt.Fprintf(&sb, "%s=%T:%v\x00", schema[i].Name, row[i], row[i])
	}
	h := sha256.Sum256([]byte(sb.String()))
	for k := range s.acc {
		s.acc[k] += binary.BigEndian.Uint64(h[8*k:])
	}
	s.n++
}

func (s *summer) sum() Sum {
	return Sum{Rows: s.n, Checksum: fmt.Sprintf("%016x%016x%016x%016x", s.acc[0], s.acc[1], s.acc[2], s.acc[3])}
}

// columnOrder returns the indexes of schema's columns sorted by name, skip (an index, or -1) left out.
func columnOrder(schema warehouse.Schema, skip int) []int {
	order := make([]int, 0, len(schema))
	for i := range schema {
		if i != skip {
			order = append(order, i)
		}
	}
	sort.Slice(order, func(i, j int) bool { return schema[order[i]].Name < schema[order[j]].Name })
	return order
}

func hasPrefix(name string, prefixes []string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
