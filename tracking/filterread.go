package tracking

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// FilterRead is what the filter of one date read, in <prefix>_filter_reads (one document per date, id the
// date): the window of prepared tables and the fingerprint of each of its days that held rows. A prepared day
// rewritten with other content after the filter read it makes the date's new customers stale. A filter that
// could not run because a day of its window failed to prepare is recorded as blocked on that day, so that
// the day's rerun can take the date up again.
type FilterRead struct {
	Date        string
	WindowStart string
	WindowEnd   string
	Days        map[string]string // date → fingerprint of the prepared day ("rows:checksum"); days without rows left out
	Job         string            // the filter job that read them
	Read        time.Time
	BlockedOn   string // a day of the window whose prepare failed: the filter did not run
	Error       string // why, when blocked
}

// Fields of a filter-read document.
const (
	fWindowStart = "window_start"
	fWindowEnd   = "window_end"
	fDays        = "days"
	fJob         = "job"
	fRead        = "read"
	fBlockedOn   = "blocked_on"
)

// ForgetFilterRead removes what the filter of date read, before the filter runs again: a filter killed
// before it records its new read leaves no record, which counts as stale rather than as the old one.
func (t *Tracker) ForgetFilterRead(ctx context.Context, date string) error {
	if err := ValidDate(date); err != nil {
		return fmt.Errorf("forget filter read: %w", err)
	}
	if err := t.store.Delete(ctx, t.names.Of(KindFilterRead), date); err != nil {
		return fmt.Errorf("forget filter read %s: %w", date, err)
	}
	return nil
}

// RecordFilterRead records what the filter of r.Date read, or that it is blocked (r.BlockedOn).
func (t *Tracker) RecordFilterRead(ctx context.Context, r FilterRead) error {
	if err := ValidDate(r.Date); err != nil {
		return fmt.Errorf("record filter read: %w", err)
	}
	days := make(map[string]any, len(r.Days))
	for d, sum := range r.Days {
		days[d] = sum
	}
	fields := Fields{fDate: r.Date, fWindowStart: r.WindowStart, fWindowEnd: r.WindowEnd, fDays: days,
		fJob: r.Job, fRead: t.now()}
	if r.BlockedOn != "" {
		fields[fBlockedOn], fields[fError] = r.BlockedOn, r.Error
	}
	if err := t.store.Set(ctx, t.names.Of(KindFilterRead), r.Date, fields); err != nil {
		return fmt.Errorf("record filter read %s: %w", r.Date, err)
	}
	return nil
}

// FilterReads lists what every recorded filter read, oldest date first.
func (t *Tracker) FilterReads(ctx context.Context) ([]FilterRead, []Problem, error) {
	out, problems, err := listAll(ctx, t, t.names.Of(KindFilterRead), "list filter reads", decodeFilterRead)
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, problems, err
}

func decodeFilterRead(d Doc) (FilterRead, *Problem) {
	r := newReader(d)
	f := FilterRead{
		Date:        r.str(fDate, true),
		WindowStart: r.str(fWindowStart, true),
		WindowEnd:   r.str(fWindowEnd, true),
		Job:         r.str(fJob, false),
		Read:        r.time(fRead, true),
		BlockedOn:   r.str(fBlockedOn, false),
		Error:       r.str(fError, false),
		Days:        map[string]string{},
	}
	r.date(fDate, f.Date)
	r.date(fWindowStart, f.WindowStart)
	r.date(fWindowEnd, f.WindowEnd)
	if f.BlockedOn != "" {
		r.date(fBlockedOn, f.BlockedOn)
	}
	for day, v := range r.fields(fDays, false) {
		s, ok := v.(string)
		if !ok || ValidDate(day) != nil {
			r.fail("field %q: day %q holds %T, want a date and a string", fDays, day, v)
			continue
		}
		f.Days[day] = s
	}
	return f, r.problem()
}
