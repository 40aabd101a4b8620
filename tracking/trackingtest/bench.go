package trackingtest

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pltv/pltv/tracking"
)

// Benchmark measures a driver's queue: claims per second with 1 and 8 concurrent pollers taking
// MAX_TASKS_PER_POLL = 10 at a time (ns/op is per claim), and the latency from enqueueing a due task to
// holding its claim (ns/op is one enqueue and one poll). Tasks are enqueued outside the timer.
func Benchmark(b *testing.B, newStore NewStore) {
	for _, pollers := range []int{1, 8} {
		b.Run("Claim/pollers="+strconv.Itoa(pollers), func(b *testing.B) { benchClaim(b, newStore, pollers) })
	}
	b.Run("EnqueueToClaim", func(b *testing.B) { benchEnqueueToClaim(b, newStore) })
}

func benchClaim(b *testing.B, newStore NewStore, pollers int) {
	e := setup(b, newStore)
	ctx := context.Background()
	for range b.N {
		if _, err := e.tr.Enqueue(ctx, tracking.TaskSpec{Kind: "bench", Payload: []byte("payload")}); err != nil {
			b.Fatal(err)
		}
	}
	var claimed atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	began := time.Now()
	for range pollers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for claimed.Load() < int64(b.N) {
				res, err := e.tr.Poll(ctx, 10)
				if err != nil {
					b.Error(err)
					return
				}
				claimed.Add(int64(len(res.Claimed)))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if got := claimed.Load(); got != int64(b.N) {
		b.Fatalf("claimed %d of %d tasks", got, b.N)
	}
	b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "claims/s")
}

func benchEnqueueToClaim(b *testing.B, newStore NewStore) {
	e := setup(b, newStore)
	ctx := context.Background()
	for b.Loop() {
		k, err := e.tr.Enqueue(ctx, tracking.TaskSpec{Kind: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		res, err := e.tr.Poll(ctx, 1)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Claimed) != 1 || res.Claimed[0].ID != k.ID {
			b.Fatalf("claimed %v, want %s", taskIDs(res.Claimed), k.ID)
		}
	}
}
