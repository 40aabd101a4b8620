package synth

import (
	"context"
	"testing"
	"time"
)

// BenchmarkGenerate measures generation speed in lines per second: "files" writes day files as `pltv
// generate` does, "cpu" draws and formats the same lines without writing them.
func BenchmarkGenerate(b *testing.B) {
	const customers, days = 20000, 30
	b.Run("files", func(b *testing.B) {
		var lines int64
		start := time.Now()
		for b.Loop() {
			sum, err := Generate(context.Background(), Options{Out: b.TempDir(), Customers: customers, Days: days, Seed: 1}, nil)
			if err != nil {
				b.Fatal(err)
			}
			lines += sum.Lines
		}
		b.ReportMetric(float64(lines)/time.Since(start).Seconds(), "lines/s")
	})
	b.Run("cpu", func(b *testing.B) {
		var lines int64
		start := time.Now()
		for b.Loop() {
			g := newGenerator(1, DefaultStart, days, customers)
			if err := g.run(context.Background(), newDiscardSink()); err != nil {
				b.Fatal(err)
			}
			lines += g.sum.Lines
		}
		b.ReportMetric(float64(lines)/time.Since(start).Seconds(), "lines/s")
	})
}
