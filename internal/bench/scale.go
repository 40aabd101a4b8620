package bench

import (
	"context"
	"os"
	"time"

	"github.com/pltv/pltv/internal/synth"
)

// Scale generates transactions synthetic lines over days, then runs Stages over them. Its peak RSS includes
// everything before it in the process, so run it alone for the memory figure (`pltv bench --only scale`).
func Scale(ctx context.Context, o Options, transactions, days int) (Report, error) {
	dir, err := os.MkdirTemp(o.TempDir, "pltv-bench-scale-src-")
	if err != nil {
		return Report{}, err
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	s, err := synth.Generate(ctx, synth.Options{Out: dir, Days: days, Transactions: transactions, Seed: 1}, nil)
	if err != nil {
		return Report{}, err
	}
	o.logf("scale: generated %d lines in %d files in %s", s.Lines, s.Files, time.Since(start).Round(time.Millisecond))
	return Stages(ctx, o, dir, "scale", 60*time.Second)
}
