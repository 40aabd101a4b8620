package engine

import (
	"context"
	"strconv"

	"github.com/pltv/pltv/workflows/engine/internal/value"
	"golang.org/x/sync/errgroup"
)

type parallelDepthKey struct{}

func parallelDepth(ctx context.Context) int {
	d, _ := ctx.Value(parallelDepthKey{}).(int)
	return d
}

// branchRun is one branch, or one iteration of a parallel for, ready to run.
type branchRun struct {
	id    string
	scope *scope
	body  *block
	clock Clock // its own timeline, when the execution's clock forks
	err   error // what it ended with
}

func (f *frame) runParallel(ctx context.Context, sc *scope, s *step) error {
	p := s.par
	depth := parallelDepth(ctx) + 1
	if depth > maxParallelDepth {
		return value.Errorf(value.ParallelNestingError, "parallel steps can be nested at most %d deep", maxParallelDepth)
	}
	ctx = context.WithValue(ctx, parallelDepthKey{}, depth)
	shared := make(map[string]bool, len(p.shared))
	for _, name := range p.shared {
		shared[name] = true
	}

	limit, err := f.concurrencyLimit(ctx, sc, p)
	if err != nil {
		return err
	}
	var runs []*branchRun
	for _, br := range p.branches {
		runs = append(runs, &branchRun{id: br.name, scope: newScope(sc, shared), body: br.body})
	}
	if p.loop != nil {
		items, err := f.loopItems(ctx, sc, p.loop)
		if err != nil {
			return err
		}
		for i := 0; i < items.n; i++ {
			it := newScope(sc, shared)
			it.vars[p.loop.value] = items.item(i)
			if p.loop.index != "" {
				it.vars[p.loop.index] = int64(i)
			}
			runs = append(runs, &branchRun{id: strconv.Itoa(i), scope: it, body: p.loop.body})
		}
	}

	forking, _ := f.exec.clockOf(ctx).(ForkingClock)
	var g errgroup.Group
	g.SetLimit(limit)
	for _, t := range runs {
		tctx := ctx
		if forking != nil {
			t.clock = forking.Fork()
			tctx = context.WithValue(ctx, clockKey{}, t.clock)
		}
		g.Go(func() error {
			_, t.err = f.runBlock(tctx, t.scope, t.body, "")
			return nil
		})
	}
	_ = g.Wait()
	if forking != nil {
		clocks := make([]Clock, len(runs))
		for i, t := range runs {
			clocks[i] = t.clock
		}
		forking.Join(clocks)
	}

	var failed []any
	for _, t := range runs {
		if t.err == nil {
			continue
		}
		r, ok := asRaised(t.err)
		if !ok {
			return t.err // cancelled, or an engine failure: the execution stops
		}
		if r.exc.HasTag(value.ResourceLimitError) && f.exec.steps.Load() > f.exec.stepLimit {
			return r // the step limit ends the execution, whatever branch reached it
		}
		failed = append(failed, map[string]any{"id": t.id, "error": r.exc.Value})
	}
	if len(failed) > 0 {
		return &value.Exception{Value: map[string]any{
			"tags":     []any{value.UnhandledBranchError},
			"message":  value.UnhandledBranchError + ": " + unhandledBranchText,
			"branches": failed,
		}}
	}
	return nil
}

func (f *frame) concurrencyLimit(ctx context.Context, sc *scope, p *parallelSpec) (int, error) {
	if p.limit == nil {
		return maxConcurrency, nil
	}
	v, err := p.limit.eval(ctx, &env{f: f, sc: sc})
	if err != nil {
		return 0, err
	}
	n, ok := v.(int64)
	if !ok {
		return 0, value.TypeErrorf("concurrency_limit must be an integer, got %s", value.TypeName(v))
	}
	if n < 1 {
		return 0, value.ValueErrorf("concurrency_limit must be positive, got %d", n)
	}
	return int(min(n, maxConcurrency)), nil
}
