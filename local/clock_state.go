package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ClockFile, under the state directory, keeps the virtual time the last process on the state reached.
const ClockFile = "clock.json"

// clockMarkEvery is how often a running state clock records the time it reached.
const clockMarkEvery = 250 * time.Millisecond

// clockMark is the content of ClockFile.
type clockMark struct {
	Reached time.Time `json:"reached"` // the virtual time reached
	Wall    time.Time `json:"wall"`    // the wall time it was reached at
	Speed   float64   `json:"speed"`
	Closed  bool      `json:"closed"` // the process closed its clock: Reached is its last time
}

// OpenStateClock returns the virtual clock of a state directory: it goes on from the latest virtual time an
// earlier process on the state reached, or from the wall clock if that is later, so that times recorded on
// the state (executions, tracking, prepares) never lie in the clock's future and list in the order they
// happened. A process killed between two marks may have gone up to one mark interval further than the file
// says, so the clock then starts that much later. The clock records what it reached until Close. The state
// lock makes one process at a time run on a state, so one timeline at a time writes the file.
func OpenStateClock(dir string, speed float64) (*VirtualClock, error) {
	if speed <= 0 {
		speed = 1
	}
	path := filepath.Join(dir, ClockFile)
	wall := time.Now()
	origin := wall
	if b, err := os.ReadFile(path); err == nil {
		var m clockMark
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("state clock %s: %w", path, err)
		}
		next := m.Reached
		if !m.Closed {
			next = next.Add(time.Duration(float64(2*clockMarkEvery) * max(m.Speed, speed)))
		}
		if next.After(origin) {
			origin = next
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("state clock: %w", err)
	}
	c := newVirtualClock(wall, origin, speed)
	if err := writeClockMark(path, clockMark{Reached: c.Now(), Wall: time.Now(), Speed: speed}); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(clockMarkEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				writeClockMark(path, clockMark{Reached: c.Now(), Wall: time.Now(), Speed: speed})
			case <-done:
				return
			}
		}
	}()
	c.stop = func(final bool) {
		close(done)
		wg.Wait()
		if final {
			writeClockMark(path, clockMark{Reached: c.Now(), Wall: time.Now(), Speed: speed, Closed: true})
		}
	}
	return c, nil
}

// writeClockMark replaces the clock file atomically.
func writeClockMark(path string, m clockMark) error {
	b, _ := json.Marshal(m)
	tmp, err := os.CreateTemp(filepath.Dir(path), ".clock-*.tmp")
	if err != nil {
		return fmt.Errorf("state clock: %w", err)
	}
	_, werr := tmp.Write(b)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("state clock: %w", werr)
	}
	return nil
}
