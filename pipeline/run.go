package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Stages in the order they run.
var Stages = []string{StageExtract, StagePrepare, StageFilter, StagePredict}

// ParseStages parses a comma-separated list of stages; empty means all of them. The result is in run order.
func ParseStages(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return slices.Clone(Stages), nil
	}
	seen := map[string]bool{}
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(Stages, name) {
			return nil, fmt.Errorf("unknown stage %q (stages: %s)", name, strings.Join(Stages, ","))
		}
		seen[name] = true
	}
	var out []string
	for _, st := range Stages {
		if seen[st] {
			out = append(out, st)
		}
	}
	return out, nil
}

// StageFunc runs one stage for one date.
type StageFunc func(ctx context.Context, date string) (Result, error)

// RunRange runs the stages for every date, stage after stage so that filter never starts while a prepare of an
// earlier date is pending, with up to workers dates at a time within a stage. It stops at the first error and
// returns the results so far, in stage then date order. each is called after every result (may be nil).
func RunRange(ctx context.Context, stages map[string]StageFunc, order []string, dates []string, workers int, each func(Result)) ([]Result, error) {
	var all []Result
	for _, name := range order {
		fn, ok := stages[name]
		if !ok {
			return all, fmt.Errorf("stage %s is not available here", name)
		}
		results, err := runStage(ctx, fn, dates, workers, each)
		all = append(all, results...)
		if err != nil {
			return all, err
		}
	}
	return all, nil
}

func runStage(ctx context.Context, fn StageFunc, dates []string, workers int, each func(Result)) ([]Result, error) {
	results := make([]Result, len(dates))
	done := make([]bool, len(dates))
	var mu sync.Mutex // serialises each
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(workers, 1))
	for i, d := range dates {
		g.Go(func() error {
			r, err := fn(ctx, d)
			if err != nil {
				return err
			}
			results[i], done[i] = r, true
			if each != nil {
				mu.Lock()
				each(r)
				mu.Unlock()
			}
			return nil
		})
	}
	err := g.Wait()
	var out []Result
	for i, r := range results {
		if done[i] {
			out = append(out, r)
		}
	}
	return out, err
}
