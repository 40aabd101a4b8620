package tracking

import (
	"time"
)

// Task is one entry of the long_running_tasks queue: a message to deliver once it is due (a delayed stage)
// or once a long-running operation is done (e.g. a model deploy), with where to send the outcome.
type Task struct {
	ID        string
	Kind      string // what the task runs, e.g. "prepare"
	Date      string // the run date it belongs to, if any
	Payload   []byte // the message, opaque to tracking
	Operation string // the long-running operation to poll; empty for a delayed task
	OnSuccess Destination
	OnError   Destination

	Status   Status // StatusPending, StatusClaimed, StatusDone, StatusFailed or StatusExpired
	Attempts int    // how many times it was claimed
	Error    string // why it failed or expired

	Inserted   time.Time
	Due        time.Time // not before this time
	Claimed    time.Time // the last claim
	Finished   time.Time
	LeaseUntil time.Time // the claim's end, while claimed

	Token string // the current claim's token; Complete, Fail and Postpone check it
}

// Destination is where a task's outcome goes: a Pub/Sub topic or a service.
type Destination struct {
	Kind DestinationKind `json:"kind"`
	Name string          `json:"name"`
}

// DestinationKind says what a Destination's name names.
type DestinationKind string

// The kinds of destinations.
const (
	ToTopic   DestinationKind = "topic"
	ToService DestinationKind = "service"
)

// TaskSpec is what Enqueue needs to queue a task.
type TaskSpec struct {
	// ID makes Enqueue idempotent: enqueueing an existing id returns the existing task. A new id when empty.
	ID        string
	Kind      string
	Date      string
	Payload   []byte
	Operation string
	Delay     time.Duration // the task is due this long after it is enqueued
	OnSuccess Destination
	OnError   Destination
}

// Fields of a task document besides date, status, error and finished. visible holds the time a poll may take
// the task (due time, or lease end while claimed) and is absent once the task is finished, so the poll query
// needs Firestore's single-field index alone.
const (
	fKind       = "kind"
	fPayload    = "payload"
	fOperation  = "operation"
	fOnSuccess  = "on_success"
	fOnError    = "on_error"
	fAttempts   = "attempts"
	fInserted   = "inserted"
	fDue        = "due"
	fClaimed    = "claimed"
	fLeaseUntil = "lease_until"
	fVisible    = "visible"
	fToken      = "token"
	fName       = "name"
	fProblem    = "problem" // set on a malformed task taken out of the queue
)

// fields encodes a task as a document.
func (k Task) fields() Fields {
	f := Fields{
		fKind: k.Kind, fStatus: string(k.Status), fAttempts: int64(k.Attempts),
		fInserted: k.Inserted, fDue: k.Due,
	}
	setIf := func(name string, v any, present bool) {
		if present {
			f[name] = v
		}
	}
	setIf(fDate, k.Date, k.Date != "")
	setIf(fPayload, k.Payload, k.Payload != nil)
	setIf(fOperation, k.Operation, k.Operation != "")
	setIf(fOnSuccess, k.OnSuccess.fields(), k.OnSuccess != Destination{})
	setIf(fOnError, k.OnError.fields(), k.OnError != Destination{})
	setIf(fError, k.Error, k.Error != "")
	setIf(fClaimed, k.Claimed, !k.Claimed.IsZero())
	setIf(fFinished, k.Finished, !k.Finished.IsZero())
	setIf(fLeaseUntil, k.LeaseUntil, !k.LeaseUntil.IsZero())
	setIf(fToken, k.Token, k.Token != "")
	switch k.Status {
	case StatusPending:
		f[fVisible] = k.Due
	case StatusClaimed:
		f[fVisible] = k.LeaseUntil
	}
	return f
}

func (d Destination) fields() map[string]any {
	return map[string]any{fKind: string(d.Kind), fName: d.Name}
}

func decodeTask(d Doc) (Task, *Problem) {
	r := newReader(d)
	k := Task{
		ID:         d.ID,
		Kind:       r.str(fKind, true),
		Date:       r.str(fDate, false),
		Payload:    r.bytes(fPayload, false),
		Operation:  r.str(fOperation, false),
		OnSuccess:  r.destination(fOnSuccess),
		OnError:    r.destination(fOnError),
		Status:     Status(r.str(fStatus, true)),
		Attempts:   int(r.int(fAttempts, true)),
		Error:      r.str(fError, false),
		Inserted:   r.time(fInserted, true),
		Due:        r.time(fDue, true),
		Claimed:    r.time(fClaimed, false),
		Finished:   r.time(fFinished, false),
		LeaseUntil: r.time(fLeaseUntil, false),
		Token:      r.str(fToken, false),
	}
	visible := r.time(fVisible, false)
	r.oneOf(fStatus, string(k.Status), string(StatusPending), string(StatusClaimed), string(StatusDone),
		string(StatusFailed), string(StatusExpired))
	if p := r.str(fProblem, false); p != "" {
		r.fail("taken out of the queue: %s", p)
	}
	var want time.Time
	switch k.Status {
	case StatusPending:
		want = k.Due
	case StatusClaimed:
		want = k.LeaseUntil
		if k.Token == "" {
			r.fail("claimed without a %q", fToken)
		}
	}
	if !visible.Equal(want) {
		r.fail("field %q is %v for status %q", fVisible, visible, k.Status)
	}
	return k, r.problem()
}

// destination decodes an optional destination map.
func (r *reader) destination(name string) Destination {
	m := r.fields(name, false)
	if m == nil {
		return Destination{}
	}
	sub := &reader{doc: Doc{Fields: m}}
	d := Destination{Kind: DestinationKind(sub.str(fKind, true)), Name: sub.str(fName, true)}
	sub.oneOf(fKind, string(d.Kind), string(ToTopic), string(ToService))
	for _, e := range sub.errs {
		r.fail("field %q: %s", name, e)
	}
	return d
}
