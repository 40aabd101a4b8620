package trackingtest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pltv/pltv/tracking"
)

// workers is how many goroutines enqueue and poll at once in the concurrency tests.
const workers = 32

// testQueueConcurrent has 32 goroutines enqueue and poll at once: no task may be lost or handed out twice.
// The clock stands still, so no lease ends and a second hand-out would be a bug.
func testQueueConcurrent(t *testing.T, newStore NewStore) {
	e := setup(t, newStore, func(o *tracking.Options) { o.MaxTasksPerPoll = 3 })
	const perWorker = 6
	total := workers * perWorker
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var (
		mu       sync.Mutex
		enqueued = map[string]bool{}
		claims   = map[string]int{}
		nClaimed atomic.Int64
		wg       sync.WaitGroup
		errs     = make(chan error, workers)
	)
	record := func(tasks []tracking.Task) {
		mu.Lock()
		defer mu.Unlock()
		for _, k := range tasks {
			claims[k.ID]++
		}
		nClaimed.Add(int64(len(tasks)))
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				k, err := e.tr.Enqueue(ctx, tracking.TaskSpec{Kind: "predict", Payload: fmt.Appendf(nil, "%d/%d", w, i)})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				enqueued[k.ID] = true
				mu.Unlock()
				res, err := e.tr.Poll(ctx, 0)
				if err != nil {
					errs <- err
					return
				}
				record(res.Claimed)
			}
			for nClaimed.Load() < int64(total) && ctx.Err() == nil {
				res, err := e.tr.Poll(ctx, 0)
				if err != nil {
					errs <- err
					return
				}
				record(res.Claimed)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("worker: %v", err)
	}
	if len(enqueued) != total {
		t.Errorf("%d distinct tasks enqueued, want %d", len(enqueued), total)
	}
	for id := range enqueued {
		if claims[id] != 1 {
			t.Errorf("task %s claimed %d times, want once", id, claims[id])
		}
	}
	for id, n := range claims {
		if !enqueued[id] {
			t.Errorf("claimed unknown task %s (%d times)", id, n)
		}
	}
	if res := poll(t, e, 100); len(res.Claimed) != 0 {
		t.Errorf("%d tasks still due after all were claimed", len(res.Claimed))
	}
}

// testLedgerConcurrent has 32 goroutines see the same events at once: each event is first exactly once.
func testLedgerConcurrent(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx := context.Background()
	const events = 4
	var firsts [events]atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range events {
				ev := (i + w) % events
				first, err := e.tr.FirstSeen(ctx, "//pubsub.googleapis.com/projects/p/topics/t", fmt.Sprint(ev))
				if err != nil {
					t.Errorf("FirstSeen: %v", err)
					return
				}
				if first {
					firsts[ev].Add(1)
				}
			}
		}()
	}
	wg.Wait()
	for i := range firsts {
		if n := firsts[i].Load(); n != 1 {
			t.Errorf("event %d first seen %d times, want once", i, n)
		}
	}
}
