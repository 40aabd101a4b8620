package workflows_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/pltv/pltv/workflows"
	"github.com/pltv/pltv/workflows/engine"
)

// billedSteps runs the daily workflow for one date and returns the steps it billed.
func billedSteps(tb testing.TB, batches int, states []string, script func(*services)) int64 {
	tb.Helper()
	clock := engine.NewFakeClock(start)
	s := newServices(tb, clock, batches, states...)
	if script != nil {
		script(s)
	}
	o := execute(tb, workflows.Daily, clock, map[string]any{"date": date}, dailyEnv(s, nil))
	if o.err != nil {
		tb.Fatal(o.err)
	}
	return o.stats.Steps
}

// TestDailyBilledSteps keeps the daily workflow economical: every executed step is billed in Cloud Workflows.
func TestDailyBilledSteps(t *testing.T) {
	deployed := []string{"deployed"}
	polled := []string{"deploying", "deploying", "deployed"}
	for _, tc := range []struct {
		name    string
		batches int
		states  []string
		most    int64
	}{
		{name: "1 batch, model deployed", batches: 1, states: deployed, most: 40},
		{name: "1 batch, two polls", batches: 1, states: polled, most: 40},
		{name: "20 batches, model deployed", batches: 20, states: deployed, most: 80},
		{name: "20 batches, two polls", batches: 20, states: polled, most: 80},
	} {
		t.Run(tc.name, func(t *testing.T) {
			steps := billedSteps(t, tc.batches, tc.states, nil)
			t.Logf("daily.yaml, %s (PREDICT_BATCH_CONCURRENCY 4): %d billed steps", tc.name, steps)
			if steps > tc.most {
				t.Errorf("%d billed steps, want at most %d", steps, tc.most)
			}
		})
	}
	t.Run("each retry is one more step", func(t *testing.T) {
		plain := billedSteps(t, 3, deployed, nil)
		retried := billedSteps(t, 3, deployed, func(s *services) {
			s.batchFails[2] = []int{http.StatusServiceUnavailable, http.StatusTooManyRequests}
		})
		if retried != plain+2 {
			t.Errorf("two retries billed %d steps, want %d + 2", retried, plain)
		}
	})
}

// BenchmarkDaily measures one date's run in the engine against the fake services, and reports its billed
// steps.
func BenchmarkDaily(b *testing.B) {
	for _, batches := range []int{1, 20} {
		b.Run(fmt.Sprintf("batches=%d", batches), func(b *testing.B) {
			var steps int64
			for b.Loop() {
				steps = billedSteps(b, batches, []string{"deploying", "deploying", "deployed"}, nil)
			}
			b.ReportMetric(float64(steps), "steps/op")
		})
	}
}
