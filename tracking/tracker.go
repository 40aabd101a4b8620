package tracking

import (
	"fmt"
	"log/slog"
	"time"
)

// Tracker is the tracking port: what services, stages, the task poller and the model stopper read and write.
// It holds no state of its own; everything lives in the Store, so several processes may share one.
type Tracker struct {
	store Store
	names Names
	opts  Options
}

// Options configure a Tracker. Zero values take the defaults shown.
type Options struct {
	// Prefix names the deployment's collections: <DEPLOYMENT_NAME>_<SOLUTION_PREFIX>. Required.
	Prefix string
	// Clock tells the time; time.Now by default. Tests inject one they move by hand.
	Clock func() time.Time
	// Logger receives warnings about documents of an unknown shape; slog.Default() by default.
	Logger *slog.Logger
	// MaxTasksPerPoll bounds the tasks one Poll claims (MAX_TASKS_PER_POLL); 10 by default.
	MaxTasksPerPoll int
	// Lease is how long a claimed task stays with its poller; after it the task is due again. 10 minutes by
	// default.
	Lease time.Duration
	// DiscardTasksAfter expires tasks inserted longer ago (DISCARD_TASKS_OLDER_THAN_HOURS), counted from
	// Enqueue, when a poll meets them; 24 hours by default.
	DiscardTasksAfter time.Duration
	// EventTTL is how long a processed event is remembered; 48 hours by default, beyond Eventarc's 24 hours
	// of retries.
	EventTTL time.Duration
	// EventLease is how long a handler holds an event it claimed before another delivery may take it over
	// (the handler's process may have died); 10 minutes by default, beyond the 540 s an event function runs.
	EventLease time.Duration
	// OtherKinds are the kinds of collections that other packages keep in the same Store for this deployment
	// (<prefix>_<kind>): List counts them, Cleanup with All deletes them, Cleanup without leaves them alone.
	OtherKinds []string
}

// New returns a Tracker over a Store.
func New(store Store, opts Options) (*Tracker, error) {
	if err := ValidatePrefix(opts.Prefix); err != nil {
		return nil, fmt.Errorf("new tracker: %w", err)
	}
	for _, kind := range opts.OtherKinds {
		if err := ValidID(Names{opts.Prefix}.Of(kind)); err != nil || decoders[kind] != nil || kind == "" {
			return nil, fmt.Errorf("new tracker: other collection kind %q is empty, invalid or tracking's own", kind)
		}
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxTasksPerPoll <= 0 {
		opts.MaxTasksPerPoll = 10
	}
	if opts.Lease <= 0 {
		opts.Lease = 10 * time.Minute
	}
	if opts.DiscardTasksAfter <= 0 {
		opts.DiscardTasksAfter = 24 * time.Hour
	}
	if opts.EventTTL <= 0 {
		opts.EventTTL = 48 * time.Hour
	}
	if opts.EventLease <= 0 {
		opts.EventLease = 10 * time.Minute
	}
	return &Tracker{store: store, names: Names{Prefix: opts.Prefix}, opts: opts}, nil
}

// Names returns the collection names the Tracker uses.
func (t *Tracker) Names() Names { return t.names }

// Store returns the Store the Tracker writes to.
func (t *Tracker) Store() Store { return t.store }

// now is the clock's time as the Store keeps it.
func (t *Tracker) now() time.Time { return storedTime(t.opts.Clock()) }

// storedTime returns t as a Store keeps it: UTC, microseconds.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(Precision) }

// timeFormat is how messages show times.
const timeFormat = time.RFC3339

// ValidDate checks that s is a YYYYMMDD date.
func ValidDate(s string) error {
	if _, err := time.Parse("20060102", s); err != nil || len(s) != 8 {
		return fmt.Errorf("date %q is not YYYYMMDD", s)
	}
	return nil
}
