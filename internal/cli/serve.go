package cli

import (
	"encoding/json"
	"fmt"
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
		Short: "Keep the local runtime up: services on loopback, the event router, the workflow engine, the scheduler",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := g.start(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer e.Close()
			fmt.Fprintf(g.stdout, "serving on %s (Ctrl-C to stop)\n", e.Server.URL)
			for name, url := range e.Server.WorkflowEnv() {
				fmt.Fprintf(g.stdout, "  %s=%s\n", name, url)
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
