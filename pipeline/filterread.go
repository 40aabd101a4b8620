package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/pltv/pltv/tracking"
)

// FilterReads is where each filter records what it read, so that a filter whose window was rewritten since
// can be found and recomputed (see StaleFilters). *tracking.Tracker implements it.
type FilterReads interface {
	ForgetFilterRead(ctx context.Context, date string) error
	RecordFilterRead(ctx context.Context, r tracking.FilterRead) error
}

// WindowDayError is the failure of a filter to prepare a day of its window: the filter did not run.
type WindowDayError struct {
	Day string
	Err error
}

func (e *WindowDayError) Error() string {
	return fmt.Sprintf("prepare window day %s: %v", e.Day, e.Err)
}
func (e *WindowDayError) Unwrap() error { return e.Err }

// beginRead forgets what the filter of date read last and fingerprints its window as it is now, before the
// filter reads it: a day rewritten between the two then shows as changed, never as read. It returns nil when
// no reads are recorded.
func (p *Pipeline) beginRead(ctx context.Context, date, start, end string) (*tracking.FilterRead, error) {
	if p.Reads == nil {
		return nil, nil
	}
	if err := p.Reads.ForgetFilterRead(ctx, date); err != nil {
		return nil, err
	}
	days, err := p.windowSums(ctx, start, end)
	if err != nil {
		return nil, err
	}
	return &tracking.FilterRead{Date: date, WindowStart: start, WindowEnd: end, Days: days}, nil
}

// endRead records the read once the filter job wrote its table.
func (p *Pipeline) endRead(ctx context.Context, r *tracking.FilterRead, job string) error {
	if r == nil {
		return nil
	}
	r.Job = job
	return p.Reads.RecordFilterRead(ctx, *r)
}

// recordBlocked records that the filter of date could not run for want of a day of its window. A failure
// to record it is logged: the filter's own error is what the caller must see.
func (p *Pipeline) recordBlocked(ctx context.Context, date, start, end string, err error) {
	var day *WindowDayError
	if p.Reads == nil || !errors.As(err, &day) {
		return
	}
	r := tracking.FilterRead{Date: date, WindowStart: start, WindowEnd: end, BlockedOn: day.Day, Error: day.Err.Error()}
	if rerr := p.Reads.RecordFilterRead(ctx, r); rerr != nil {
		p.Log.WarnContext(ctx, "could not record the blocked filter", "stage", StageFilter, "date", date, "error", rerr.Error())
	}
}

// windowSums fingerprints the prepared days start..end that hold rows, as FilterRead.Days keeps them.
func (p *Pipeline) windowSums(ctx context.Context, start, end string) (map[string]string, error) {
	dates, err := Dates(start, end)
	if err != nil {
		return nil, err
	}
	sums, err := p.Sums.Days(ctx, p.WH, p.ltv(), PreparedDailyTransactions, dates)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(sums))
	for d, s := range sums {
		out[d] = fmt.Sprintf("%d:%s", s.Rows, s.Checksum)
	}
	return out, nil
}
