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
// waits interleave as they would in the cloud, only faster.
type VirtualClock struct {
	start time.Time // wall time at creation
	speed float64
}

// NewVirtualClock returns a clock reading the wall time now and running speed times faster.
func NewVirtualClock(speed float64) *VirtualClock {
	if speed <= 0 {
		speed = 1
	}
	return &VirtualClock{start: time.Now(), speed: speed}
}

// Now returns the virtual time.
func (c *VirtualClock) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.start)) * c.speed))
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
