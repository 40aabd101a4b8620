package local

import (
	"context"
	"testing"
	"time"
)

func TestVirtualClockRunsFaster(t *testing.T) {
	c := NewVirtualClock(100_000)
	before := c.Now()
	wall := time.Now()
	if err := c.Sleep(context.Background(), 30*time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := c.Now().Sub(before); got < 30*time.Minute {
		t.Errorf("after sleeping 30 minutes, the clock moved %s", got)
	}
	if w := time.Since(wall); w > 5*time.Second {
		t.Errorf("30 virtual minutes took %s of wall time", w)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err == nil {
		t.Error("Sleep on a cancelled context returned nil")
	}
}

// TestStateClockGoesOn: a second process on a state goes on from the time the first reached, closed or
// killed (no final mark), so that the times recorded on the state never lie ahead of its clock.
func TestStateClockGoesOn(t *testing.T) {
	dir := t.TempDir()
	first, err := OpenStateClock(dir, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Sleep(context.Background(), 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	reached := first.Now()
	first.Close()
	second, err := OpenStateClock(dir, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	if got := second.Now(); got.Before(reached) {
		t.Errorf("second process starts at %v, before the %v the first reached", got, reached)
	}
	// Killed: the marks stop and no closing one is written, then the process still used a little time (less
	// than a mark interval) before it died.
	time.Sleep(clockMarkEvery + 10*time.Millisecond)
	second.stop(false)
	second.stop = nil
	time.Sleep(clockMarkEvery / 2)
	lastUsed := second.Now()
	third, err := OpenStateClock(dir, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if got := third.Now(); got.Before(lastUsed) {
		t.Errorf("after a kill the clock starts at %v, before the %v the killed process used", got, lastUsed)
	}
}
