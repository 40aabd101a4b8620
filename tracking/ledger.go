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

// EventExpiryField is the timestamp field of a processed-events document after which the document means
// nothing: the end of the lease while the event is being handled, the end of the memory once it is done. A
// Firestore TTL policy on this field of <prefix>_processed_events deletes what is past it.
const EventExpiryField = "expires_at"

// Fields of a processed-event document in <prefix>_processed_events.
const (
	fSource       = "source"
	fEventID      = "event_id"
	fState        = "state"
	fEventClaimed = "claimed"
	fExpires      = EventExpiryField
)

// EventState is where the handling of an event stands.
type EventState string

// The states of a processed-events entry.
const (
	EventInProgress EventState = "in_progress" // a handler holds the lease until the expiry
	EventDone       EventState = "done"        // handled; remembered until the expiry
)

// ProcessedEvent is one entry of the processed-events ledger.
type ProcessedEvent struct {
	Source  string
	ID      string
	State   EventState
	Claimed time.Time
	Expires time.Time
}

// Claim is what ClaimEvent found.
type Claim int

const (
	// Claimed: the caller holds the lease and must end it with EventDone, or ForgetEvent on a failure that a
	// retry may fix.
	Claimed Claim = iota
	// ClaimDone: the event was handled already; its redelivery is a duplicate.
	ClaimDone
	// ClaimHeld: another delivery is handling it and its lease has not expired; if that handler dies, the
	// lease expires and a later delivery claims the event.
	ClaimHeld
)

// ErrEventHeld is the error a handler answers for an event that another delivery is handling, so that the
// event is delivered again later instead of being dropped while its fate is unknown.
var ErrEventHeld = errors.New("event is being handled by another delivery")

// eventDocID derives the ledger's document id from a CloudEvent's source and id; both are free text (a source
// is a URI reference full of '/'), so the id is a hash, and the fields keep them readable.
func eventDocID(source, id string) string {
	sum := sha256.Sum256([]byte(strconv.Itoa(len(source)) + ":" + source + id))
	return hex.EncodeToString(sum[:])
}

// ClaimEvent takes the lease on a CloudEvent (source and id, which identify a delivery's duplicates): it is
// Claimed exactly once among concurrent callers, and again once the lease (Options.EventLease) of a handler
// that never finished has expired, or once a done entry is older than Options.EventTTL.
func (t *Tracker) ClaimEvent(ctx context.Context, source, id string) (Claim, error) {
	if source == "" || id == "" {
		return 0, fmt.Errorf("claim event: event without source or id (%q, %q)", source, id)
	}
	coll, docID, now := t.names.Of(KindEvents), eventDocID(source, id), t.now()
	entry := Fields{fSource: source, fEventID: id, fState: string(EventInProgress), fEventClaimed: now,
		fExpires: storedTime(now.Add(t.opts.EventLease))}
	err := t.store.Create(ctx, coll, docID, entry)
	if err == nil {
		return Claimed, nil
	}
	if !errors.Is(err, ErrExists) {
		return 0, fmt.Errorf("claim event %s %s: %w", source, id, err)
	}
	var claim Claim
	var problem *Problem
	err = t.modify(ctx, coll, docID, func(cur *Doc) (Fields, error) {
		claim, problem = Claimed, nil
		if cur != nil {
			ev, prob := decodeEvent(*cur)
			if prob == nil && ev.Expires.After(now) {
				claim = ClaimHeld
				if ev.State == EventDone {
					claim = ClaimDone
				}
				return nil, nil
			}
			problem = prob // replaced by a sound entry
		}
		return entry, nil
	})
	if err != nil {
		return 0, fmt.Errorf("claim event %s %s: %w", source, id, err)
	}
	if problem != nil {
		report(ctx, t.opts.Logger, "claim event", *problem)
	}
	return claim, nil
}

// EventDone ends a lease taken with ClaimEvent: the event is remembered as handled for Options.EventTTL.
func (t *Tracker) EventDone(ctx context.Context, source, id string) error {
	coll, docID, now := t.names.Of(KindEvents), eventDocID(source, id), t.now()
	err := t.modify(ctx, coll, docID, func(cur *Doc) (Fields, error) {
		claimed := now
		if cur != nil {
			if ev, prob := decodeEvent(*cur); prob == nil {
				claimed = ev.Claimed
			}
		}
		return Fields{fSource: source, fEventID: id, fState: string(EventDone), fEventClaimed: claimed,
			fExpires: storedTime(now.Add(t.opts.EventTTL))}, nil
	})
	if err != nil {
		return fmt.Errorf("event done %s %s: %w", source, id, err)
	}
	return nil
}

// FirstSeen claims an event and records it as done in one step, for work that has nothing to lose when its
// process dies: it reports whether this is the first time the event was seen.
func (t *Tracker) FirstSeen(ctx context.Context, source, id string) (bool, error) {
	claim, err := t.ClaimEvent(ctx, source, id)
	if err != nil || claim != Claimed {
		return false, err
	}
	return true, t.EventDone(ctx, source, id)
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
		State:   EventState(r.str(fState, true)),
		Claimed: r.time(fEventClaimed, true),
		Expires: r.time(fExpires, true),
	}
	r.oneOf(fState, string(ev.State), string(EventInProgress), string(EventDone))
	if p := r.problem(); p != nil {
		return ev, p
	}
	if d.ID != eventDocID(ev.Source, ev.ID) {
		r.fail("id does not match source %q and event id %q", ev.Source, ev.ID)
	}
	return ev, r.problem()
}
