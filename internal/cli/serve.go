package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
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
	cmd := &cobra.Command{
		Use:   "backfill --from YYYYMMDD --to YYYYMMDD",
		Short: "Backfill a date range through the same events and workflows as the cloud, and wait for it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				to = from
			}
			if _, err := pipeline.Dates(from, to); err != nil {
				return err
			}
			ctx := cmd.Context()
			e, err := g.start(ctx, true)
			if err != nil {
				return err
			}
			defer e.Close()
			dates, err := e.Server.Backfill(ctx, from, to)
			if err != nil {
				return err
			}
			runs, err := waitStarted(ctx, e, dates)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, map[string]any{"dates": dates, "executions": runs})
			}
			return writeBackfill(g, dates, runs)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first run date, YYYYMMDD")
	cmd.Flags().StringVar(&to, "to", "", "last run date, YYYYMMDD (default: --from)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("from")
	return cmd
}

func writeBackfill(g *globals, dates []local.DateResult, runs map[string]executions.Execution) error {
	sort.Slice(dates, func(i, j int) bool { return dates[i].Date < dates[j].Date })
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tREACHED\tOUTCOME\tWORKFLOW\tSTEPS\tNOTE")
	failed := 0
	for _, d := range dates {
		x, ok := runs[d.Date]
		state, steps, note := "", "", d.Reason
		if ok {
			state, steps, note = string(x.State), fmt.Sprint(x.Steps), x.ID
			if x.Error != nil {
				note = errorMessage(x.Error.Payload)
			}
		}
		if d.Outcome == services.Failed || (ok && x.State != executions.StateSucceeded) {
			failed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.Date, d.Stage, d.Outcome, state, steps, note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d dates failed", failed, len(dates))
	}
	return nil
}

// errorMessage is the message of a workflow's error payload, or the payload itself.
func errorMessage(payload string) string {
	var m struct{ Message string }
	if json.Unmarshal([]byte(payload), &m) == nil && m.Message != "" {
		return m.Message
	}
	return payload
}
