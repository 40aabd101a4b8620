package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/pltv/pltv/local"
)

// progress is a bar on a terminal, and nothing elsewhere (--json, logs, CI, pipes, clients of pltv serve).
type progress interface {
	Add(int) error
	Set(int) error
	Describe(string)
	Finish() error
}

type noProgress struct{}

func (noProgress) Add(int) error   { return nil }
func (noProgress) Set(int) error   { return nil }
func (noProgress) Describe(string) {}
func (noProgress) Finish() error   { return nil }

// newProgress returns a bar of total steps on stdout when stdout is a terminal and quiet (--json) is false.
func (g *globals) newProgress(total int, what string, quiet bool) progress {
	f, ok := g.stdout.(*os.File)
	if quiet || !ok {
		return noProgress{}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return noProgress{}
	}
	return progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond))
}

// describeStages is the bar's text: the dates through each stage.
func describeStages(counts []local.StageCount, total int) string {
	parts := make([]string, len(counts))
	for i, c := range counts {
		parts[i] = fmt.Sprintf("%s %d/%d", c.Stage, c.Done, total)
	}
	return strings.Join(parts, "  ")
}

// followBackfill shows the dates of a backfill going through the stages, until the returned stop is called.
func (g *globals) followBackfill(ctx context.Context, e *local.Embedded, dates []string, quiet bool) (stop func()) {
	bar := g.newProgress(len(dates)*4, "backfill", quiet)
	if _, ok := bar.(noProgress); ok {
		return func() {}
	}
	var mu sync.Mutex
	ended := map[string]bool{}
	workflowDone := func(id string) bool {
		mu.Lock()
		defer mu.Unlock()
		if ended[id] || e.Executions == nil {
			return ended[id]
		}
		x, err := e.Executions.Get(ctx, id)
		ended[id] = err == nil && x.State.Done()
		return ended[id]
	}
	update := func() {
		counts := e.Server.Progress.Through(dates, workflowDone)
		sum := 0
		for _, c := range counts {
			sum += c.Done
		}
		bar.Describe(describeStages(counts, len(dates)))
		bar.Set(sum)
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				update()
				bar.Finish()
				return
			case <-t.C:
				update()
			}
		}
	}()
	return func() { close(done); <-finished }
}
