// Package barrier keeps the run dates whose filter waits for an earlier prepare: the wait half of
// wait-and-notify. One document per date in <prefix>_filter_waiting of the tracking store; whoever takes a
// date out (a conditional delete of the document as read) runs its filter, so that a date released by two
// notifiers at once is filtered once.
package barrier

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/pltv/pltv/tracking"
)

// Kind names the collection: <prefix>_filter_waiting.
const Kind = "filter_waiting"

// Fields of a waiting document.
const (
	fDate  = "date"
	fSince = "since"
)

// Waiting is the set of waiting dates.
type Waiting struct {
	store tracking.Store
	coll  string
	now   func() time.Time
}

// New returns the waiting set of a tracker's deployment. now is the clock (time.Now when nil).
func New(t *tracking.Tracker, now func() time.Time) *Waiting {
	if now == nil {
		now = time.Now
	}
	return &Waiting{store: t.Store(), coll: t.Names().Of(Kind), now: now}
}

// Entry is one waiting date.
type Entry struct {
	Date  string
	Since time.Time
	doc   tracking.Doc
}

// Add records that date waits. A date already waiting keeps its first time.
func (w *Waiting) Add(ctx context.Context, date string) error {
	if err := tracking.ValidDate(date); err != nil {
		return fmt.Errorf("wait: %w", err)
	}
	since := w.now().UTC().Truncate(tracking.Precision)
	err := w.store.Create(ctx, w.coll, date, tracking.Fields{fDate: date, fSince: since})
	if err != nil && !errors.Is(err, tracking.ErrExists) {
		return fmt.Errorf("wait %s: %w", date, err)
	}
	return nil
}

// List returns the waiting dates, oldest date first. A document of another shape is skipped with its date
// taken from its id, so that it can still be released and removed.
func (w *Waiting) List(ctx context.Context) ([]Entry, error) {
	docs, err := w.store.Query(ctx, tracking.Query{Collection: w.coll})
	if err != nil {
		return nil, fmt.Errorf("list waiting dates: %w", err)
	}
	out := make([]Entry, 0, len(docs))
	for _, d := range docs {
		e := Entry{Date: d.ID, doc: d}
		if s, ok := d.Fields[fSince].(time.Time); ok {
			e.Since = s
		}
		if tracking.ValidDate(e.Date) != nil {
			continue
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// Take removes a listed date from the set and reports whether this caller took it: false when another
// caller took it (or it was added again) since it was listed.
func (w *Waiting) Take(ctx context.Context, e Entry) (bool, error) {
	err := w.store.Remove(ctx, e.doc)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, tracking.ErrConflict), errors.Is(err, tracking.ErrNotFound):
		return false, nil
	}
	return false, fmt.Errorf("take waiting date %s: %w", e.Date, err)
}

// Dates returns the dates of entries.
func Dates(entries []Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Date
	}
	return out
}
