package router

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
)

// Backoff says how deliveries are retried: the first retry after Initial, each next one after twice the
// last, at most Max, and no more than Attempts attempts in all.
type Backoff struct {
	Initial  time.Duration // 100 ms by default
	Max      time.Duration // 10 s by default
	Attempts int           // 8 by default
}

func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = 100 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 10 * time.Second
	}
	if b.Attempts <= 0 {
		b.Attempts = 8
	}
	return b
}

// Delay returns the wait before attempt number attempt (2 for the first retry).
func (b Backoff) Delay(attempt int) time.Duration {
	d := b.Initial
	for i := 2; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// Faults make delivery unkind, within Eventarc's contract, for tests.
type Faults struct {
	Seed uint64
	// Duplicate is the probability that an event is delivered to a trigger twice.
	Duplicate float64
	// Reorder, when above 1, takes each next delivery at random among the first Reorder waiting, so that
	// events arrive out of publication order.
	Reorder int
}

// Options configure a Router. Zero values take the defaults.
type Options struct {
	Client  *http.Client // http.DefaultClient by default
	Clock   Clock        // SystemClock by default
	Retry   Backoff
	Workers int // deliveries in flight at once; 8 by default
	Faults  Faults
	Log     *slog.Logger
	// Observe, when set, is called after every delivery attempt.
	Observe func(Delivery)
	// Dropped, when set, is called for a delivery given up after its last attempt.
	Dropped func(Delivery)
}

// Delivery is one attempt to deliver an event to a trigger's destination.
type Delivery struct {
	Trigger   string
	Event     event.Event
	Attempt   int       // 1 for the first
	Status    int       // the HTTP status; 0 when no answer came
	Err       error     // why the attempt failed, nil for 2xx
	Published time.Time // when the event was published
	Done      time.Time // when the attempt was answered
}

// OK reports whether the attempt succeeded.
func (d Delivery) OK() bool { return d.Err == nil }

// Router delivers published events to the triggers they match.
type Router struct {
	opts Options
	rng  *rand.Rand

	mu       sync.Mutex
	cond     *sync.Cond
	triggers []Trigger
	queue    []*delivery
	pending  int // queued, in flight or waiting to be retried
	idle     *sync.Cond
	closed   bool
	stop     chan struct{}
	wg       sync.WaitGroup
}

type delivery struct {
	trigger   Trigger
	event     event.Event
	attempt   int
	published time.Time
}

// ErrClosed is returned by Publish after Close.
var ErrClosed = errors.New("router closed")

// New returns a router with its workers running; Close stops them.
func New(opts Options) *Router {
	if opts.Client == nil {
		opts.Client = http.DefaultClient
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	if opts.Workers <= 0 {
		opts.Workers = 8
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	opts.Retry = opts.Retry.withDefaults()
	r := &Router{opts: opts, rng: rand.New(rand.NewPCG(opts.Faults.Seed, opts.Faults.Seed^0x9e3779b97f4a7c15)), stop: make(chan struct{})}
	r.cond = sync.NewCond(&r.mu)
	r.idle = sync.NewCond(&r.mu)
	for range opts.Workers {
		r.wg.Add(1)
		go r.work()
	}
	return r
}

// Add adds a trigger.
func (r *Router) Add(t Trigger) error {
	if err := t.validate(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, have := range r.triggers {
		if have.Name == t.Name {
			return fmt.Errorf("trigger %s exists", t.Name)
		}
	}
	r.triggers = append(r.triggers, t)
	r.opts.Log.Debug("trigger added", "trigger", t.String())
	return nil
}

// Triggers returns the triggers.
func (r *Router) Triggers() []Trigger {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Trigger(nil), r.triggers...)
}

// Publish queues the event for every trigger it matches and returns how many it matched, without waiting for
// the deliveries. An event that matches no trigger is dropped, as Eventarc drops it.
func (r *Router) Publish(_ context.Context, e event.Event) (int, error) {
	if err := e.Validate(); err != nil {
		return 0, fmt.Errorf("publish: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, ErrClosed
	}
	now := r.opts.Clock.Now()
	n := 0
	for _, t := range r.triggers {
		if !t.Matches(e) {
			continue
		}
		n++
		copies := 1
		if f := r.opts.Faults.Duplicate; f > 0 && r.rng.Float64() < f {
			copies = 2
			r.opts.Log.Warn("injected fault", "fault", "event delivered twice", "type", e.Type(), "id", e.ID())
		}
		for range copies {
			r.enqueueLocked(&delivery{trigger: t, event: e.Clone(), attempt: 1, published: now})
		}
	}
	if n == 0 {
		r.opts.Log.Debug("event matched no trigger", "type", e.Type(), "id", e.ID())
	}
	return n, nil
}

func (r *Router) enqueueLocked(d *delivery) {
	r.queue = append(r.queue, d)
	r.pending++
	r.cond.Signal()
}

// Drain waits until every published event has been delivered or dropped, including the events published by
// the services while they handle the others.
func (r *Router) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		r.mu.Lock()
		for r.pending > 0 && !r.closed && ctx.Err() == nil {
			r.idle.Wait()
		}
		r.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		r.mu.Lock()
		r.idle.Broadcast() // lets the waiter see the context is done on its next check
		r.mu.Unlock()
		return fmt.Errorf("drain router: %w", ctx.Err())
	}
}

// Pending returns how many deliveries are queued, in flight or waiting for a retry.
func (r *Router) Pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pending
}

// Close stops the workers once the deliveries in flight are answered; queued ones and retries are dropped.
func (r *Router) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	close(r.stop)
	r.cond.Broadcast()
	r.idle.Broadcast()
	r.mu.Unlock()
	r.wg.Wait()
	return nil
}

// next takes the next delivery, at random within the reorder window when there is one.
func (r *Router) next() (*delivery, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.queue) == 0 && !r.closed {
		r.cond.Wait()
	}
	if r.closed {
		return nil, false
	}
	i := 0
	if w := min(r.opts.Faults.Reorder, len(r.queue)); w > 1 {
		i = r.rng.IntN(w)
	}
	d := r.queue[i]
	r.queue = append(r.queue[:i], r.queue[i+1:]...)
	return d, true
}

// finish marks one delivery done (delivered or dropped).
func (r *Router) finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending--
	if r.pending == 0 {
		r.idle.Broadcast()
	}
}

func (r *Router) work() {
	defer r.wg.Done()
	for {
		d, ok := r.next()
		if !ok {
			return
		}
		r.attempt(d)
	}
}
