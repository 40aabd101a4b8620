package tracking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Fields of a processed-event document in <prefix>_processed_events.
const (
	fSource  = "source"
	fEventID = "event_id"
	fSeen    = "seen"
	fExpires = "expires"
)

// ProcessedEvent is one entry of the processed-events ledger.
type ProcessedEvent struct {
	Source  string
	ID      string
	Seen    time.Time
	Expires time.Time
}

// eventDocID derives the ledger's document id from a CloudEvent's source and id; both are free text (a source
// is a URI reference full of '/'), so the id is a hash, and the fields keep them readable.
func eventDocID(source, id string) string {
	sum := sha256.Sum256([]byte(strconv.Itoa(len(source)) + ":" + source + id))
	return hex.EncodeToString(sum[:])
}

// FirstSeen records a CloudEvent (source and id, which identify a delivery's duplicates) as processed and
// reports whether this is the first time: true exactly once per event among concurrent callers, and true
// again once the entry is older than Options.EventTTL. A handler whose work then fails retryably calls
// ForgetEvent, so the redelivery is not dropped.
func (t *Tracker) FirstSeen(ctx context.Context, source, id string) (bool, error) {
	if source == "" || id == "" {
		return false, fmt.Errorf("first seen: event without source or id (%q, %q)", source, id)
	}
	coll, docID, now := t.names.Of(KindEvents), eventDocID(source, id), t.now()
	entry := Fields{fSource: source, fEventID: id, fSeen: now, fExpires: storedTime(now.Add(t.opts.EventTTL))}
	err := t.store.Create(ctx, coll, docID, entry)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, ErrExists) {
		return false, fmt.Errorf("first seen %s %s: %w", source, id, err)
	}
	var first bool
	var problem *Problem
	err = t.modify(ctx, coll, docID, func(cur *Doc) (Fields, error) {
		first, problem = false, nil
		if cur != nil {
			ev, prob := decodeEvent(*cur)
			if prob == nil && ev.Expires.After(now) {
				return nil, nil // seen, still remembered
			}
			problem = prob // replaced by a sound entry
		}
		first = true
		return entry, nil
	})
	if err != nil {
		return false, fmt.Errorf("first seen %s %s: %w", source, id, err)
	}
	if problem != nil {
		report(ctx, t.opts.Logger, "first seen", *problem)
	}
	return first, nil
}

// ForgetEvent removes an event from the ledger, so its next delivery counts as the first.
func (t *Tracker) ForgetEvent(ctx context.Context, source, id string) error {
	if err := t.store.Delete(ctx, t.names.Of(KindEvents), eventDocID(source, id)); err != nil {
		return fmt.Errorf("forget event %s %s: %w", source, id, err)
	}
	return nil
}

func decodeEvent(d Doc) (ProcessedEvent, *Problem) {
	r := newReader(d)
	ev := ProcessedEvent{
		Source:  r.str(fSource, true),
		ID:      r.str(fEventID, true),
		Seen:    r.time(fSeen, true),
		Expires: r.time(fExpires, true),
	}
	if p := r.problem(); p != nil {
		return ev, p
	}
	if d.ID != eventDocID(ev.Source, ev.ID) {
		r.fail("id does not match source %q and event id %q", ev.Source, ev.ID)
	}
	return ev, r.problem()
}
