package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/internal/report"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/services"
)

func newServe(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Keep the local runtime up as the state's single writer: services, router, engine, scheduler, report",
		Long: `Keeps the local runtime up: every service on loopback, the event router, the workflow engine, and the
scheduler (task poller, model stopper, and the daily extract on DATA_SOURCE_DAILY_TX_POLLER_CONFIG, in the
runtime's time). It is the state's single writer: while it runs, pltv status, backfill, tables ls,
executions, tracking ls and workflows run on the same state go through its API. The live report is at /.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := g.startWith(cmd.Context(), local.StartOptions{Schedule: true, ScheduleExtract: true})
			if err != nil {
				return err
			}
			defer e.Close()
			e.Server.Handle("POST "+APIPath, cliHandler(e))
			e.Server.Handle("GET /{$}", liveReport(e))
			if err := e.Lock.SetURL(e.Server.URL); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "serving %s on %s (Ctrl-C to stop); the live report is at %s/\n", g.stateDir, e.Server.URL, e.Server.URL)
			env := e.Server.WorkflowEnv()
			for _, name := range slices.Sorted(maps.Keys(env)) {
				fmt.Fprintf(g.stdout, "  %s=%s\n", name, env[name])
			}
			<-cmd.Context().Done()
			return nil
		},
	}
}

func newBackfill(g *globals) *cobra.Command {
	var from, to string
	var asJSON bool
	var follow cloudFollow
	cmd := &cobra.Command{
		Use:   "backfill --from YYYYMMDD --to YYYYMMDD",
		Short: "Backfill a date range through the same events and workflows as the cloud, and wait for it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				to = from
			}
			ctx := cmd.Context()
			if _, err := flagDates(from, to); err != nil {
				return err
			}
			if cfg, err := g.config(); err != nil {
				return err
			} else if cfg.IsCloud() {
				return g.cloudBackfill(ctx, cfg, from, to, follow, asJSON)
			}
			if err := g.stateExists(); err != nil {
				return err
			}
			e, err := g.startWith(ctx, local.StartOptions{Schedule: true, Intend: []local.DateRange{{From: from, To: to}}})
			if err != nil {
				return err
			}
			defer e.Close()
			if err := g.requireSource(ctx, e.Runtime); err != nil {
				return err
			}
			return g.backfill(ctx, e, from, to, asJSON)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first run date, YYYYMMDD")
	cmd.Flags().StringVar(&to, "to", "", "last run date, YYYYMMDD (default: --from)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().DurationVar(&follow.Wait, "wait", 2*time.Hour, "with RUNTIME=cloud: how long to follow the dates' daily workflows (0: only the backfill workflow)")
	cmd.Flags().DurationVar(&follow.Interval, "poll", 10*time.Second, "with RUNTIME=cloud: how often to look at the executions")
	_ = cmd.MarkFlagRequired("from")
	return cmd
}

// reachAll follows dates with live progress (unless quiet) while reach takes each as far as it goes, waits
// for the daily workflows they started, and sums them up.
func (g *globals) reachAll(ctx context.Context, e *local.Embedded, dates []string, quiet bool, start time.Time,
	reach func() ([]local.DateResult, error)) ([]local.DateResult, map[string]executions.Execution, summary, error) {
	stop := g.followBackfill(ctx, e, dates, quiet)
	results, err := reach()
	var runs map[string]executions.Execution
	if err == nil {
		runs, err = waitStarted(ctx, e, results)
	}
	stop()
	if err != nil {
		return nil, nil, summary{}, err
	}
	sum, err := summarize(ctx, e, results, runs, start)
	return results, runs, sum, err
}

// failedDates is the error of a backfill some of whose dates failed, nil when none did.
func failedDates(sum summary) error {
	if n := len(slices.Compact(slices.Sorted(slices.Values(sum.Failed)))); n > 0 {
		return fmt.Errorf("%d of %d dates failed", n, sum.Dates)
	}
	return nil
}

// backfill runs from..to through the services with live progress, waits for every daily workflow it started,
// and prints each date and the closing summary.
func (g *globals) backfill(ctx context.Context, e *local.Embedded, from, to string, asJSON bool) error {
	start := time.Now()
	ds, err := flagDates(from, to)
	if err != nil {
		return err
	}
	var followUps []local.FollowUp
	dates, runs, sum, err := g.reachAll(ctx, e, ds, asJSON, start, func() ([]local.DateResult, error) {
		res, err := e.Server.Backfill(ctx, from, to)
		if err != nil {
			return res, err
		}
		more, fu, err := followUp(ctx, e, ds)
		followUps, res = fu, append(res, more...)
		sort.Slice(res, func(i, j int) bool { return res[i].Date < res[j].Date })
		return res, err
	})
	if err != nil {
		return err
	}
	sum.FollowUps = followUps
	if sum.Report, err = report.WriteFile(ctx, e.Runtime, executionsOf(e)); err != nil {
		return err
	}
	if asJSON {
		if err := writeJSON(g.stdout, map[string]any{"dates": backfillRows(dates, runs), "summary": sum}); err != nil {
			return err
		}
	} else {
		if err := writeBackfill(g, dates, runs); err != nil {
			return err
		}
		sum.write(g.stdout)
	}
	return failedDates(sum)
}

// followUpRounds bounds the rounds of follow-ups: a round recomputes the dates the previous one left stale.
// Recomputing a date rewrites its prepared table with the same content, so one round is all it takes unless
// the source changes meanwhile.
const followUpRounds = 3

// followUp backfills, after the dates ran, the dates beyond them that must be computed again for the tables
// to equal a clean run (local.Runtime.FollowUps): the filters their prepares made stale, and the filters
// that waited for one of their days. It returns how far each went and why each was taken up.
func followUp(ctx context.Context, e *local.Embedded, ran []string) ([]local.DateResult, []local.FollowUp, error) {
	var results []local.DateResult
	var all []local.FollowUp
	done := slices.Clone(ran)
	for range followUpRounds {
		fu, err := e.Runtime.FollowUps(ctx, done)
		if err != nil || len(fu) == 0 {
			return results, all, err
		}
		dates := local.FollowUpDates(fu)
		e.Runtime.Log.InfoContext(ctx, "recomputing dates beyond the range", "dates", strings.Join(dates, ","),
			"why", fu[0].Reason)
		res, err := e.Server.BackfillDates(ctx, dates)
		results, all, done = append(results, res...), append(all, fu...), append(done, dates...)
		if err != nil {
			return results, all, fmt.Errorf("recompute %s: %w", strings.Join(dates, ", "), err)
		}
	}
	return results, all, nil
}

// backfillRow is one date of a backfill, as --json prints it.
type backfillRow struct {
	Date         string           `json:"date"`
	ReachedStage string           `json:"reached_stage"` // the last stage the services got to
	Outcome      services.Outcome `json:"outcome"`       // started (the daily workflow), skipped or failed
	Reason       string           `json:"reason,omitempty"`
	ExecutionID  string           `json:"execution_id,omitempty"` // the daily workflow's execution
	Workflow     string           `json:"workflow_state,omitempty"`
	Steps        int64            `json:"workflow_steps,omitempty"`
	Error        string           `json:"workflow_error,omitempty"`
}

func backfillRows(dates []local.DateResult, runs map[string]executions.Execution) []backfillRow {
	out := make([]backfillRow, len(dates))
	for i, d := range dates {
		r := backfillRow{Date: d.Date, ReachedStage: d.Stage, Outcome: d.Outcome, Reason: d.Reason}
		if x, ok := runs[d.Date]; ok {
			r.Reason, r.ExecutionID, r.Workflow, r.Steps = "", x.ID, string(x.State), x.Steps
			if x.Error != nil {
				r.Error = errorMessage(x.Error.Payload)
			}
		}
		out[i] = r
	}
	return out
}

func writeBackfill(g *globals, dates []local.DateResult, runs map[string]executions.Execution) error {
	sort.Slice(dates, func(i, j int) bool { return dates[i].Date < dates[j].Date })
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tREACHED\tOUTCOME\tWORKFLOW\tSTEPS\tNOTE")
	for _, r := range backfillRows(dates, runs) {
		steps, note := "", r.Reason
		if r.ExecutionID != "" {
			steps, note = fmt.Sprint(r.Steps), r.ExecutionID
		}
		if r.Error != "" {
			note = r.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Date, r.ReachedStage, r.Outcome, r.Workflow, steps, note)
	}
	return tw.Flush()
}

// errorMessage is the message of a workflow's error payload, or the payload itself.
func errorMessage(payload string) string {
	var m struct{ Message string }
	if json.Unmarshal([]byte(payload), &m) == nil && m.Message != "" {
		return m.Message
	}
	return payload
}
