package tracking

import (
	"context"
	"fmt"
	"time"
)

// Prepare is one date's prepare stage as tracked in <prefix>_prepare_daily_tx_tracking (one document per
// date, id the date).
type Prepare struct {
	Date     string
	Status   Status // StatusPending, StatusDone or StatusFailed
	Started  time.Time
	Finished time.Time // zero while pending
	Error    string
}

// Status is the state of a tracked record.
type Status string

// The states of prepares, predictions and tasks.
const (
	StatusPending Status = "pending" // a prepare or a task waiting to run
	StatusRunning Status = "running" // a prediction in flight
	StatusClaimed Status = "claimed" // a task handed to a poller
	StatusDone    Status = "done"
	StatusFailed  Status = "failed"
	StatusExpired Status = "expired" // a task discarded for its age
)

// Fields of a prepare document. pending holds the date only while the prepare is pending, so the barrier
// query needs Firestore's single-field index alone.
const (
	fDate     = "date"
	fStatus   = "status"
	fStarted  = "started"
	fFinished = "finished"
	fError    = "error"
	fPending  = "pending"
)

// StartPrepare records that date's prepare is running; the filter of date and of later dates waits for it.
// Starting a date again (a re-run) makes it pending again.
func (t *Tracker) StartPrepare(ctx context.Context, date string) error {
	if err := ValidDate(date); err != nil {
		return fmt.Errorf("start prepare: %w", err)
	}
	fields := Fields{fDate: date, fStatus: string(StatusPending), fStarted: t.now(), fPending: date}
	if err := t.store.Set(ctx, t.names.Of(KindPrepare), date, fields); err != nil {
		return fmt.Errorf("start prepare %s: %w", date, err)
	}
	return nil
}

// FinishPrepare records that date's prepare ended, failed when failure is not nil. Either way the date no
// longer holds the barrier: a failed prepare is retried by its own event, not waited for.
func (t *Tracker) FinishPrepare(ctx context.Context, date string, failure error) error {
	if err := ValidDate(date); err != nil {
		return fmt.Errorf("finish prepare: %w", err)
	}
	now := t.now()
	err := t.modify(ctx, t.names.Of(KindPrepare), date, func(cur *Doc) (Fields, error) {
		started := now
		if cur != nil {
			if p, prob := decodePrepare(*cur); prob == nil {
				started = p.Started
			}
		}
		fields := Fields{fDate: date, fStatus: string(StatusDone), fStarted: started, fFinished: now}
		if failure != nil {
			fields[fStatus] = string(StatusFailed)
			fields[fError] = failure.Error()
		}
		return fields, nil
	})
	if err != nil {
		return fmt.Errorf("finish prepare %s: %w", date, err)
	}
	return nil
}

// PendingPrepares is the barrier query: the dates ≤ upTo whose prepare is still pending, oldest first.
func (t *Tracker) PendingPrepares(ctx context.Context, upTo string) ([]string, []Problem, error) {
	if err := ValidDate(upTo); err != nil {
		return nil, nil, fmt.Errorf("pending prepares: %w", err)
	}
	pending, problems, err := queryAll(ctx, t, Query{
		Collection: t.names.Of(KindPrepare),
		Filters:    []Filter{{Field: fPending, Op: OpLe, Value: upTo}},
		OrderBy:    fPending,
	}, "pending prepares up to "+upTo, decodePrepare)
	if err != nil {
		return nil, nil, err
	}
	var dates []string
	for _, p := range pending {
		dates = append(dates, p.Date)
	}
	return dates, problems, nil
}

// Prepares returns every tracked prepare, by date.
func (t *Tracker) Prepares(ctx context.Context) ([]Prepare, []Problem, error) {
	return listAll(ctx, t, t.names.Of(KindPrepare), "list prepares", decodePrepare)
}

func decodePrepare(d Doc) (Prepare, *Problem) {
	r := newReader(d)
	p := Prepare{
		Date:     r.str(fDate, true),
		Status:   Status(r.str(fStatus, true)),
		Started:  r.time(fStarted, true),
		Finished: r.time(fFinished, false),
		Error:    r.str(fError, false),
	}
	pending := r.str(fPending, false)
	r.date(fDate, p.Date)
	r.oneOf(fStatus, string(p.Status), string(StatusPending), string(StatusDone), string(StatusFailed))
	if (p.Status == StatusPending) != (pending != "") || (pending != "" && pending != p.Date) {
		r.fail("field %q is %q for status %q and date %q", fPending, pending, p.Status, p.Date)
	}
	return p, r.problem()
}
