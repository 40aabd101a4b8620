package cli

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/services"
)

// start brings the embedded runtime up with its services; the caller closes it.
func (g *globals) start(ctx context.Context, schedule bool) (*local.Embedded, error) {
	return g.startWith(ctx, local.StartOptions{Schedule: schedule})
}

// startWith is start with more options; the state, logger and command are the globals'.
func (g *globals) startWith(ctx context.Context, opts local.StartOptions) (*local.Embedded, error) {
	if g.served != nil {
		return g.served.Borrow(), nil
	}
	cfg, err := g.config()
	if err != nil {
		return nil, err
	}
	opts.StateDir, opts.Log, opts.Command = g.stateDir, g.logger(), g.command
	return local.Start(ctx, cfg, opts)
}

// waitExecutions waits for every active execution of the workflow and returns them all, newest first.
func waitExecutions(ctx context.Context, e *local.Embedded, workflow string) ([]executions.Execution, error) {
	if e.Executions == nil {
		return nil, nil
	}
	list, err := e.Executions.List(ctx, workflow)
	if err != nil {
		return nil, err
	}
	for i, x := range list {
		if x.State.Done() {
			continue
		}
		if list[i], err = e.Executions.Wait(ctx, x.ID); err != nil {
			return list, fmt.Errorf("wait for execution %s: %w", x.ID, err)
		}
	}
	return list, nil
}

// waitStarted waits for the daily workflow each backfilled date started (its result's reason is the
// execution's id) and returns them by date.
func waitStarted(ctx context.Context, e *local.Embedded, dates []local.DateResult) (map[string]executions.Execution, error) {
	out := map[string]executions.Execution{}
	if e.Executions == nil {
		return out, nil
	}
	for _, d := range dates {
		if d.Outcome != services.Started || d.Reason == "" {
			continue
		}
		x, err := e.Executions.Wait(ctx, d.Reason)
		if err != nil {
			return out, fmt.Errorf("wait for the daily workflow of %s: %w", d.Date, err)
		}
		out[d.Date] = x
	}
	return out, nil
}
