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
