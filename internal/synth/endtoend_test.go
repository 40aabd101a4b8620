package synth

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestGenerateTenMillionLinesEndToEnd is the scale run of the project's benchmark: 10 million lines in 30
// days, written to disk. It takes seconds and about 1 GB of disk, so it runs only when asked:
//
//	go test -c -o /tmp/synth.test ./internal/synth
//	PLTV_SYNTH_10M=1 /usr/bin/time -v /tmp/synth.test -test.run TenMillion -test.v
func TestGenerateTenMillionLinesEndToEnd(t *testing.T) {
	if os.Getenv("PLTV_SYNTH_10M") != "1" {
		t.Skip("set PLTV_SYNTH_10M=1 to generate 10 million lines")
	}
	const target = 10_000_000
	start := time.Now()
	sum, err := Generate(context.Background(), Options{Out: t.TempDir(), Transactions: target, Days: 30, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	t.Logf("%d lines, %d files, %.0f MB in %s: %.0f lines/s; Go runtime memory %d MB",
		sum.Lines, sum.Files, float64(sum.Bytes)/1e6, elapsed.Round(time.Millisecond),
		float64(sum.Lines)/elapsed.Seconds(), m.Sys>>20)
	if sum.Lines < target*95/100 || sum.Lines > target*105/100 {
		t.Errorf("%d lines for a target of %d", sum.Lines, target)
	}
	// Streaming keeps memory bounded: a few buffers and the schedule, never the rows.
	if m.Sys > 256<<20 {
		t.Errorf("the runtime took %d MB from the system, want under 256 MB", m.Sys>>20)
	}
}
