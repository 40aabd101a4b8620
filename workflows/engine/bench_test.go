package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pltv/pltv/workflows/engine"
)

// BenchmarkStepOverhead measures the engine's cost per billed step on a loop of assign and switch steps
// (the target is at most 20 µs per step).
func BenchmarkStepOverhead(b *testing.B) {
	src := `
main:
  params: [n]
  steps:
    - init:
        assign:
          - i: 0
          - acc: {count: 0}
    - check:
        switch:
          - condition: ${i < n}
            next: inc
        next: done
    - inc:
        assign:
          - i: ${i + 1}
          - acc.count: ${acc.count + i % 7}
        next: check
    - done:
        return: ${acc.count}
`
	w, err := engine.Parse([]byte(src))
	if err != nil {
		b.Fatal(err)
	}
	opts := engine.Options{Clock: engine.NewFakeClock(testStart), ExecutionID: "bench"}
	var steps int64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_, stats, err := w.Execute(context.Background(), 5000, opts)
		if err != nil {
			b.Fatal(err)
		}
		steps += stats.Steps
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps), "ns/step")
}

// BenchmarkParse measures parsing and validating a workflow against the schema.
func BenchmarkParse(b *testing.B) {
	src := []byte(fmt.Sprintf(retryWorkflow, "${http.default_retry}"))
	for b.Loop() {
		if _, err := engine.Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}
