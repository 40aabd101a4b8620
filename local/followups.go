package local

import (
	"context"
	"fmt"
	"sort"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// FollowUp is a date that a run or a backfill computes again beyond its range, and why: its filter read
// prepared days that changed since (stale), or it could not run for want of a window day that is now
// prepared (blocked).
type FollowUp struct {
	Date   string `json:"date"`
	Reason string `json:"reason"`
}

// staleFilters returns the dates whose new customers are stale, by date; date "" means every date.
func (r *Runtime) staleFilters(ctx context.Context, date string) (map[string]pipeline.StaleFilter, error) {
	reads, _, err := r.Tracker.FilterReads(ctx)
	if err != nil {
		return nil, err
	}
	tables, err := r.WH.Tables(ctx, r.Config.LTVDataset(), pipeline.NewCustomersTransactions+"_")
	if err != nil {
		return nil, err
	}
	var filtered []string
	for _, t := range tables {
		name, d, ok := warehouse.SplitShard(t.Ref.Table)
		if ok && name == pipeline.NewCustomersTransactions && (date == "" || d == date) {
			filtered = append(filtered, d)
		}
	}
	stale, err := r.Pipeline.StaleFilters(ctx, reads, filtered)
	if err != nil {
		return nil, err
	}
	out := make(map[string]pipeline.StaleFilter, len(stale))
	for _, s := range stale {
		out[s.Date] = s
	}
	return out, nil
}

// FollowUps returns the dates not in done that must be computed again for every table to equal a clean
// run, oldest first: the dates whose filter is stale, and the dates whose filter was blocked on a day of
// its window that is now prepared (or that has nothing to prepare).
func (r *Runtime) FollowUps(ctx context.Context, done []string) ([]FollowUp, error) {
	skip := map[string]bool{}
	for _, d := range done {
		skip[d] = true
	}
	stale, err := r.staleFilters(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("follow-ups: %w", err)
	}
	var out []FollowUp
	for d, s := range stale {
		if !skip[d] {
			out = append(out, FollowUp{Date: d, Reason: "stale: " + s.Reason})
			skip[d] = true
		}
	}
	reads, _, err := r.Tracker.FilterReads(ctx)
	if err != nil {
		return nil, fmt.Errorf("follow-ups: %w", err)
	}
	for _, rd := range reads {
		if rd.BlockedOn == "" || skip[rd.Date] {
			continue
		}
		ready, err := r.prepared(ctx, rd.BlockedOn)
		if err != nil {
			return nil, fmt.Errorf("follow-ups: %w", err)
		}
		if ready {
			out = append(out, FollowUp{Date: rd.Date, Reason: fmt.Sprintf("its filter waited for %s, now prepared", rd.BlockedOn)})
			skip[rd.Date] = true
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// prepared says whether date's prepare has nothing left to do: its table is written, or its extract is empty.
func (r *Runtime) prepared(ctx context.Context, date string) (bool, error) {
	ltv := r.Config.LTVDataset()
	p, err := r.WH.Table(ctx, ltv.Shard(pipeline.PreparedDailyTransactions, date))
	if err != nil || p.State != warehouse.Missing {
		return err == nil, err
	}
	x, err := r.WH.Table(ctx, ltv.Shard(pipeline.AllDailyTransactions, date))
	return err == nil && x.State == warehouse.Empty, err
}

// FollowUpDates returns the dates of fs.
func FollowUpDates(fs []FollowUp) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Date
	}
	return out
}
