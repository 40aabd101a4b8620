package pipeline

import (
	"context"
	"fmt"
	"strings"

	"github.com/pltv/pltv/tracking"
)

// StaleFilter is a date whose new customers were filtered from a window that no longer is what it was: a
// prepared day of the window was rewritten with other content since, or what the filter read was never
// recorded (a filter interrupted between its job and its record). Its filter and predictions must be
// computed again to equal a clean run.
type StaleFilter struct {
	Date   string
	Days   []string // the window days that changed, oldest first; none when the read was not recorded
	Reason string
}

// StaleFilters compares what each filter of filtered (the dates with a new-customers table) read with its
// window now, in one read of the prepared tables, and returns the stale ones, oldest first.
func (p *Pipeline) StaleFilters(ctx context.Context, reads []tracking.FilterRead, filtered []string) ([]StaleFilter, error) {
	byDate := map[string]tracking.FilterRead{}
	lo, hi := "", ""
	for _, r := range reads {
		if r.BlockedOn != "" {
			continue
		}
		byDate[r.Date] = r
		if lo == "" || r.WindowStart < lo {
			lo = r.WindowStart
		}
		hi = max(hi, r.WindowEnd)
	}
	var now map[string]string
	if lo != "" {
		var err error
		if now, err = p.windowSums(ctx, lo, hi); err != nil {
			return nil, fmt.Errorf("stale filters: %w", err)
		}
	}
	var out []StaleFilter
	for _, date := range filtered {
		r, ok := byDate[date]
		if !ok {
			out = append(out, StaleFilter{Date: date,
				Reason: "what its filter read is not recorded (the filter was interrupted before it recorded it)"})
			continue
		}
		if s, stale, err := p.staleRead(r, now); err != nil || stale {
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// staleRead compares one read with the prepared days now.
func (p *Pipeline) staleRead(r tracking.FilterRead, now map[string]string) (StaleFilter, bool, error) {
	s := StaleFilter{Date: r.Date}
	start, err := AddDays(r.Date, -p.Settings.NewClientDays)
	if err != nil {
		return s, false, err
	}
	if start != r.WindowStart {
		s.Reason = fmt.Sprintf("its filter read the window %s..%s, and MODEL_NEW_CLIENT_DAYS now makes it %s..%s",
			r.WindowStart, r.WindowEnd, start, r.WindowEnd)
		return s, true, nil
	}
	days, err := Dates(r.WindowStart, r.WindowEnd)
	if err != nil {
		return s, false, err
	}
	for _, d := range days {
		if r.Days[d] != now[d] {
			s.Days = append(s.Days, d)
		}
	}
	if len(s.Days) == 0 {
		return s, false, nil
	}
	names := s.Days
	more := ""
	if len(names) > 3 {
		names, more = names[:3], fmt.Sprintf(" and %d more", len(s.Days)-3)
	}
	what := "day %s%s of its window (%s_D) changed after its filter read it"
	if len(s.Days) > 1 {
		what = "days %s%s of its window (%s_D) changed after its filter read them"
	}
	s.Reason = "the prepared " + fmt.Sprintf(what, strings.Join(names, ", "), more, PreparedDailyTransactions)
	return s, true, nil
}
