package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
)

func newRun(g *globals) *cobra.Command {
	var from, to, stages string
	var workers int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "run --from YYYYMMDD --to YYYYMMDD [--stages extract,prepare,filter,predict]",
		Short: "Run stages for a date range directly, stage after stage, without events or workflows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dates, err := flagDates(from, to)
			if err != nil {
				return err
			}
			order, err := pipeline.ParseStages(stages)
			if err != nil {
				return err
			}
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			if err := g.requireSource(cmd.Context(), rt); err != nil {
				return err
			}
			if err := rt.Intend(dates[0], dates[len(dates)-1]); err != nil {
				return err
			}
			fns := rt.StageFuncs()
			for _, st := range order {
				if fns[st] == nil {
					return fmt.Errorf("stage %s is not available in this build", st)
				}
			}
			bar := g.newProgress(len(dates)*len(order), "running "+strings.Join(order, ","), asJSON)
			counts := make([]local.StageCount, len(order))
			for i, st := range order {
				counts[i].Stage = st
			}
			// RunRange calls this one result at a time.
			results, err := pipeline.RunRange(cmd.Context(), fns, order, dates, workers, func(r pipeline.Result) {
				for i := range counts {
					if counts[i].Stage == r.Stage {
						counts[i].Done++
					}
				}
				bar.Describe(describeStages(counts, len(dates)))
				bar.Add(1)
			})
			if err == nil && slices.Contains(order, pipeline.StageFilter) {
				var more []pipeline.Result
				more, err = g.runFollowUps(cmd.Context(), rt, fns, order, dates, workers)
				results = append(results, more...)
			}
			bar.Finish()
			if asJSON {
				if jerr := writeJSON(g.stdout, jsonResults(results)); jerr != nil && err == nil {
					err = jerr
				}
				return err
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "STAGE\tDATE\tTABLE\tROWS\tNOTE")
			for _, r := range results {
				table := r.Table.Table
				if r.Skipped != "" { // a skipped stage wrote nothing: name no table
					table = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.Stage, r.Date, table, r.Rows, r.Skipped)
			}
			if ferr := tw.Flush(); ferr != nil && err == nil {
				err = ferr
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "first run date, YYYYMMDD")
	f.StringVar(&to, "to", "", "last run date, YYYYMMDD (default: --from)")
	f.StringVar(&stages, "stages", "", "comma-separated stages to run (default: all)")
	f.IntVar(&workers, "workers", 2, "dates processed at a time within a stage")
	f.BoolVar(&asJSON, "json", false, "print the results as JSON")
	_ = cmd.MarkFlagRequired("from")
	cmd.PreRunE = func(*cobra.Command, []string) error {
		if to == "" {
			to = from
		}
		if workers < 1 {
			return fmt.Errorf("--workers %d: want at least 1", workers)
		}
		return nil
	}
	return cmd
}

// runFollowUps runs, after dates, the dates beyond them that must be computed again for the tables to equal
// a clean run (local.Runtime.FollowUps), saying which and why on the log.
func (g *globals) runFollowUps(ctx context.Context, rt *local.Runtime, fns map[string]pipeline.StageFunc,
	order, dates []string, workers int) ([]pipeline.Result, error) {
	var results []pipeline.Result
	done := slices.Clone(dates)
	for range followUpRounds {
		fu, err := rt.FollowUps(ctx, done)
		if err != nil || len(fu) == 0 {
			return results, err
		}
		more := local.FollowUpDates(fu)
		rt.Log.InfoContext(ctx, "recomputing dates beyond the range", "dates", strings.Join(more, ","), "why", fu[0].Reason)
		res, err := pipeline.RunRange(ctx, fns, order, more, workers, nil)
		results, done = append(results, res...), append(done, more...)
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

type resultJSON struct {
	Stage   string `json:"stage"`
	Date    string `json:"date"`
	Table   string `json:"table,omitempty"`
	Rows    int64  `json:"rows"`
	JobID   string `json:"job_id,omitempty"`
	Skipped string `json:"skipped,omitempty"`
}

func jsonResults(rs []pipeline.Result) []resultJSON {
	out := make([]resultJSON, 0, len(rs))
	for _, r := range rs {
		t := ""
		if !r.Table.IsZero() && r.Skipped == "" {
			t = r.Table.String()
		}
		out = append(out, resultJSON{r.Stage, r.Date, t, r.Rows, r.JobID, r.Skipped})
	}
	return out
}
