package engine

import (
	"context"
	"sync"
	"time"
)

// Clock is the engine's source of time: sys.now, sys.sleep, retry backoff and execution timestamps all go
// through it, so tests and demos can run hour-long waits in no wall time.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or until ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// FakeClock is a clock that only moves when something sleeps on it: Sleep(d) advances it by d and returns
// at once. Each branch of a parallel step runs on a fork of it, so that branches sleep side by side and the
// parallel step ends when its longest branch does, as it would on a real clock. It is safe for concurrent use.
type FakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
}

// NewFakeClock returns a fake clock reading start.
func NewFakeClock(start time.Time) *FakeClock { return &FakeClock{now: start} }

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep advances the clock by d.
func (c *FakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		c.mu.Lock()
		c.now = c.now.Add(d)
		c.slept += d
		c.mu.Unlock()
	}
	return nil
}

// Fork returns a clock for one parallel branch, starting at the clock's current time.
func (c *FakeClock) Fork() Clock { return NewFakeClock(c.Now()) }

// Join moves the clock to the latest time its forks reached, and counts their sleeps as its own.
func (c *FakeClock) Join(forks []Clock) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range forks {
		fc, ok := f.(*FakeClock)
		if !ok {
			continue
		}
		fc.mu.Lock()
		if fc.now.After(c.now) {
			c.now = fc.now
		}
		c.slept += fc.slept
		fc.mu.Unlock()
	}
}

// ForkingClock is implemented by clocks that give each parallel branch its own timeline (FakeClock does;
// the system clock needs not, its branches really run side by side).
type ForkingClock interface {
	Clock
	Fork() Clock
	Join(forks []Clock)
}

type clockKey struct{}

// clockOf returns the clock of the branch ctx belongs to.
func (x *execution) clockOf(ctx context.Context) Clock {
	if c, ok := ctx.Value(clockKey{}).(Clock); ok {
		return c
	}
	return x.clock
}

// Advance moves the clock forward by d without anyone sleeping.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Slept returns the total time slept on the clock.
func (c *FakeClock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}
