// Package testclock is a model.Clock for tests: every wait ends at once, without wall time, and is
// recorded, and a hook can make the world move on at a given wait (an operation finishing, say).
package testclock

import (
	"sync"
	"time"
)

// Clock starts at a fixed instant and moves forward by each duration waited for.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	waits  []time.Duration
	onWait func(n int) // called with the 1-based count of waits so far, before the wait ends
}

// New returns a clock at 2020-07-10 00:00 UTC whose onWait (may be nil) runs at every wait.
func New(onWait func(n int)) *Clock {
	return &Clock{now: time.Date(2020, 7, 10, 0, 0, 0, 0, time.UTC), onWait: onWait}
}

// After records the wait, runs the hook, and returns a channel that is ready at once.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.waits = append(c.waits, d)
	n, now, hook := len(c.waits), c.now, c.onWait
	c.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	ch := make(chan time.Time, 1)
	ch <- now
	return ch
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Waits returns the durations waited for so far.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}
