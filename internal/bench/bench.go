// Package bench measures pltv's speed and memory targets end to end, for `pltv bench`: each benchmark sets up
// its own state in a temporary directory, runs the real code, and reports figures.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
)

// Figure is one measured value.
type Figure struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Target string  `json:"target,omitempty"`
}

// Report is what one benchmark measured.
type Report struct {
	Benchmark string   `json:"benchmark"`
	Figures   []Figure `json:"figures"`
}

// Options say what to run.
type Options struct {
	Source  string    // the Online Retail day files
	TempDir string    // where to keep the benchmarks' state; "" means the system's
	Log     io.Writer // progress lines; nil: none
}

func (o Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// openFresh opens a runtime on a new state directory with the default configuration.
func openFresh(ctx context.Context, o Options, name string) (*local.Runtime, func(), error) {
	dir, err := os.MkdirTemp(o.TempDir, "pltv-bench-"+name+"-")
	if err != nil {
		return nil, nil, err
	}
	cfg := config.Default()
	rt, err := local.Open(ctx, cfg, local.Options{StateDir: filepath.Join(dir, "state"), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return rt, func() { rt.Close(); os.RemoveAll(dir) }, nil
}

// Stages loads the source day files and times extract → prepare → filter over every run date they cover.
func Stages(ctx context.Context, o Options, source, name string, target time.Duration) (Report, error) {
	rt, done, err := openFresh(ctx, o, name)
	if err != nil {
		return Report{}, err
	}
	defer done()
	start := time.Now()
	s, err := rt.Init(ctx, source)
	if err != nil {
		return Report{}, err
	}
	initTime := time.Since(start)
	o.logf("%s: loaded %d rows from %d files in %s", name, s.SourceRows, s.SourceFiles, initTime.Round(time.Millisecond))
	from, _ := pipeline.AddDays(s.FirstDate, 1)
	to, _ := pipeline.AddDays(s.LastDate, 1)
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		return Report{}, err
	}
	order := []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter}
	start = time.Now()
	results, err := pipeline.RunRange(ctx, rt.StageFuncs(), order, dates, 2, nil)
	if err != nil {
		return Report{}, err
	}
	elapsed := time.Since(start)
	var newRows int64
	for _, r := range results {
		if r.Stage == pipeline.StageFilter {
			newRows += r.Rows
		}
	}
	o.logf("%s: %d run dates through extract, prepare, filter in %s", name, len(dates), elapsed.Round(time.Millisecond))
	return Report{Benchmark: name, Figures: []Figure{
		{Name: "source rows", Value: float64(s.SourceRows), Unit: "rows"},
		{Name: "init (load source)", Value: initTime.Seconds(), Unit: "s"},
		{Name: "run dates", Value: float64(len(dates)), Unit: "dates"},
		{Name: "extract+prepare+filter", Value: elapsed.Seconds(), Unit: "s", Target: "≤ " + target.String()},
		{Name: "new-customer rows", Value: float64(newRows), Unit: "rows"},
		{Name: "peak RSS so far", Value: peakRSS(), Unit: "MiB"},
	}}, nil
}

// peakRSS is the process's peak resident set size in MiB.
func peakRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports KiB
}
