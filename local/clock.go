package local

import (
	"context"
	"time"
)

// DefaultSpeed is how much faster than the wall clock the embedded runtime's time runs: a workflow's
// 30-minute idle wait takes 3 seconds, a 2-minute model deployment 0.2 seconds.
const DefaultSpeed = 600

// VirtualClock is time running Speed times faster than the wall clock from the moment it was made. Unlike a
// fake clock that jumps when something sleeps, it is one timeline that every part of the runtime shares —
// concurrent workflows, the model's deployment, prediction tracking, the model stopper — so that their
// waits interleave as they would in the cloud, only faster. OpenStateClock carries the timeline on from one
// process to the next on a state.
type VirtualClock struct {
	start  time.Time // wall time at creation
	origin time.Time // virtual time at creation
	speed  float64
	stop   func(final bool) // ends the state clock's marks (final: with a closing one); nil for a clock of no state
}

// NewVirtualClock returns a clock reading the wall time now and running speed times faster.
func NewVirtualClock(speed float64) *VirtualClock {
	now := time.Now()
	return newVirtualClock(now, now, speed)
}

func newVirtualClock(wall, origin time.Time, speed float64) *VirtualClock {
	if speed <= 0 {
		speed = 1
	}
	return &VirtualClock{start: wall, origin: origin, speed: speed}
}

// Now returns the virtual time.
func (c *VirtualClock) Now() time.Time {
	return c.origin.Add(time.Duration(float64(time.Since(c.start)) * c.speed))
}

// Sleep waits d of virtual time, or until ctx is done.
func (c *VirtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(time.Duration(float64(d) / c.speed))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// After returns a channel that receives the virtual time after d of it has passed, as model.Clock wants.
func (c *VirtualClock) After(d time.Duration) <-chan time.Time {
	out := make(chan time.Time, 1)
	time.AfterFunc(time.Duration(float64(d)/c.speed), func() { out <- c.Now() })
	return out
}

// Close ends a state clock's marks, writing the time reached; a clock of no state has nothing to close.
func (c *VirtualClock) Close() error {
	if c.stop != nil {
		c.stop(true)
		c.stop = nil
	}
	return nil
}
