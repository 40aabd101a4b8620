package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/workflows"
)

func newWorkflows(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "workflows", Short: "Run workflow files in the local Cloud Workflows engine"}
	var data string
	run := &cobra.Command{
		Use:   "run FILE|NAME [--data JSON]",
		Short: "Run a workflow (daily, backfill, or any file) against the local services and print its result",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, name, err := workflows.Resolve(args[0])
			if err != nil {
				return err
			}
			var arg any
			if data != "" {
				if !json.Valid([]byte(data)) {
					return fmt.Errorf("--data is not valid JSON: %.80q", data)
				}
				arg = json.RawMessage(data)
			}
			ctx := cmd.Context()
			if err := g.stateExists(); err != nil {
				return err
			}
			e, err := g.start(ctx, true)
			if err != nil {
				return err
			}
			defer e.Close()
			source := func(context.Context, string) ([]byte, error) { return src, nil }
			d, err := e.ExecutionsOf(source, e.Server.WorkflowEnv(), e.Log)
			if err != nil {
				return err
			}
			defer d.Close()
			start := time.Now()
			dates := rangeOf(data) // a backfill's dates: forget what an earlier one saw of them
			e.Server.Progress.Forget(dates)
			x, err := d.Start(ctx, name, arg)
			if err != nil {
				return err
			}
			if x, err = d.Wait(ctx, x.ID); err != nil {
				return err
			}
			if x.State != executions.StateSucceeded {
				if x.Error != nil {
					fmt.Fprintln(g.stdout, x.Error.Payload)
					if x.Error.Context != "" {
						fmt.Fprintln(g.stderr, x.Error.Context)
					}
				}
				return fmt.Errorf("execution %s of %s %s after %d steps", x.ID, name, x.State, x.Steps)
			}
			var out any
			if err := json.Unmarshal([]byte(x.Result), &out); err != nil {
				return errors.New("the execution's result is not JSON")
			}
			fmt.Fprintf(g.stderr, "execution %s of %s succeeded in %d steps\n", x.ID, name, x.Steps)
			// A backfill started each date's extract: wait for every date to get as far as it goes and for
			// the daily workflows it started, so that the result printed matches the tables.
			if started := startedDates(x.Result, dates); len(started) > 0 {
				if err := g.awaitStarted(ctx, e, started, start); err != nil {
					return err
				}
			} else if _, err := waitExecutions(ctx, e, workflows.Daily); err != nil {
				return err
			}
			return writeJSON(g.stdout, out)
		},
	}
	run.Flags().StringVar(&data, "data", "", "the workflow's argument, as JSON")
	cmd.AddCommand(throughServe(g, run))
	return cmd
}

// rangeOf returns the dates of a workflow argument {"from": D, "to": D}, or none.
func rangeOf(data string) []string {
	var a struct{ From, To string }
	if json.Unmarshal([]byte(data), &a) != nil || a.From == "" {
		return nil
	}
	if a.To == "" {
		a.To = a.From
	}
	dates, err := pipeline.Dates(a.From, a.To)
	if err != nil {
		return nil
	}
	return dates
}

// startedDates returns the dates of a backfill result ({runs: {date: run}}) among dates.
func startedDates(result string, dates []string) []string {
	var r struct {
		Runs map[string]json.RawMessage `json:"runs"`
	}
	if json.Unmarshal([]byte(result), &r) != nil {
		return nil
	}
	var out []string
	for _, d := range dates {
		if _, ok := r.Runs[d]; ok {
			out = append(out, d)
		}
	}
	return out
}

// awaitStarted waits for the dates a backfill workflow started and prints them with the summary on stderr.
func (g *globals) awaitStarted(ctx context.Context, e *local.Embedded, dates []string, start time.Time) error {
	results, runs, sum, err := g.reachAll(ctx, e, dates, true, start, func() ([]local.DateResult, error) {
		return e.Server.Await(ctx, dates)
	})
	if err != nil {
		return err
	}
	errOut := &globals{stdout: g.stderr}
	if err := writeBackfill(errOut, results, runs); err != nil {
		return err
	}
	sum.write(g.stderr)
	return failedDates(sum)
}
