package training

import (
	"context"
	"fmt"
	"sort"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// DefaultHorizonDays is the label's horizon unless told otherwise.
const DefaultHorizonDays = 60

// DefaultCohortDays is how many dates of first purchases the model learns from by default: the model date
// is the first date out of the burn-in plus DefaultCohortDays plus the horizon, minus one.
const DefaultCohortDays = 60

// SourceRange returns the first and last data days (YYYYMMDD) of the source: the dates of its shards
// when it is sharded, else those of the first and last InvoiceDate.
func SourceRange(ctx context.Context, wh warehouse.Warehouse, t hooks.Tables) (first, last string, err error) {
	if t.SourceSharded {
		tables, err := wh.Tables(ctx, t.Source, t.SourceTable+"_")
		if err != nil {
			return "", "", fmt.Errorf("source range: %w", err)
		}
		var dates []string
		for _, ti := range tables {
			if base, d, ok := warehouse.SplitShard(ti.Ref.Table); ok && base == t.SourceTable && ti.State == warehouse.HasRows {
				dates = append(dates, d)
			}
		}
		if len(dates) == 0 {
			return "", "", fmt.Errorf("source range: no shard %s_YYYYMMDD with rows in %s (run pltv init)", t.SourceTable, t.Source.Dataset)
		}
		sort.Strings(dates)
		return dates[0], dates[len(dates)-1], nil
	}
	src := t.Source.Table(t.SourceTable)
	err = wh.Read(ctx, warehouse.ReadRequest{
		SQL: "SELECT FORMAT_DATE('%Y%m%d', MIN(DATE(InvoiceDate))), FORMAT_DATE('%Y%m%d', MAX(DATE(InvoiceDate))) FROM " + src.SQL(),
	}, func(b warehouse.Batch) error {
		for _, r := range b.Rows {
			first, _ = r[0].(string)
			last, _ = r[1].(string)
		}
		return nil
	})
	if err != nil {
		return "", "", fmt.Errorf("source range of %s: %w", src, err)
	}
	if first == "" {
		return "", "", fmt.Errorf("source range: %s has no rows (run pltv init)", src)
	}
	return first, last, nil
}

// dateOr returns date, or def when it is empty, checked as a run date.
func dateOr(what, date, def string) (string, error) {
	if date == "" {
		date = def
	}
	if _, err := pipeline.ParseDate(date); err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	return date, nil
}
