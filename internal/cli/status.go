package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/training"
)

func newStatus(g *globals) *cobra.Command {
	var date, from, to string
	var asJSON, failed bool
	cmd := &cobra.Command{
		Use:   "status [--date YYYYMMDD | --from YYYYMMDD --to YYYYMMDD] [--failed] [--json]",
		Short: "Each date's state (done, skipped, failed, pending, stale) and stages: tables, rows, last job, errors",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if date != "" {
				if _, err := pipeline.ParseDate(date); err != nil {
					return fmt.Errorf("--date: %w", err)
				}
				if from != "" || to != "" {
					return errors.New("give --date or --from/--to, not both")
				}
			}
			var want []string // the dates of --from..--to, each shown even when nothing ran for it
			if from != "" || to != "" {
				if from == "" {
					return errors.New("--to needs --from")
				}
				if to == "" {
					to = from
				}
				var err error
				if want, err = flagDates(from, to); err != nil {
					return err
				}
			}
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			st, err := rt.Status(cmd.Context(), date)
			if err != nil {
				return err
			}
			st = selectDates(st, want, failed)
			if asJSON {
				return writeJSON(g.stdout, st)
			}
			writeStatusSummary(g.stdout, st)
			// HISTORY: how much of the date's new-customer window the data covers (blank without a source).
			hist, herr := training.LoadHistory(cmd.Context(), trainingEnv(rt))
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DATE\tDATE STATE\tHISTORY\tSTAGE\tSTATE\tROWS\tLAST JOB\tFINISHED\tERROR")
			for _, d := range st {
				cov := ""
				if c, err := hist.Of(d.Date); herr == nil && err == nil {
					cov = c.String()
				}
				verdict := d.State
				if d.Reason != "" {
					verdict += ": " + d.Reason
				}
				if len(d.Stages) == 0 {
					fmt.Fprintf(tw, "%s\t%s\t%s\t\t\t\t\t\t\n", d.Date, verdict, cov)
				}
				for i, s := range d.Stages {
					fin := ""
					if !s.Finished.IsZero() {
						fin = s.Finished.Local().Format(time.DateTime)
					}
					if i > 0 {
						verdict = ""
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", d.Date, verdict, cov, s.Stage, s.State, s.Rows, s.JobID, fin, s.Error)
				}
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "one run date, YYYYMMDD")
	cmd.Flags().StringVar(&from, "from", "", "first run date, YYYYMMDD: every date of --from..--to is shown, also those nothing ran for")
	cmd.Flags().StringVar(&to, "to", "", "last run date, YYYYMMDD (default: --from)")
	cmd.Flags().BoolVar(&failed, "failed", false, "only the dates that failed")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// selectDates keeps the dates of want (adding those nothing ran for, as pending), or every date when want
// is empty, and with failedOnly only the failed ones.
func selectDates(st []local.DateStatus, want []string, failedOnly bool) []local.DateStatus {
	if len(want) > 0 {
		by := map[string]local.DateStatus{}
		for _, d := range st {
			by[d.Date] = d
		}
		st = st[:0:0]
		for _, date := range want {
			d, ok := by[date]
			if !ok {
				d = local.DateStatus{Date: date, State: local.DatePending, Reason: "nothing ran for this date", Stages: []local.StageStatus{}}
			}
			st = append(st, d)
		}
	}
	if failedOnly {
		var out []local.DateStatus
		for _, d := range st {
			if d.State == local.DateFailed {
				out = append(out, d)
			}
		}
		return out
	}
	return st
}

// writeStatusSummary is the line status opens with: the dates in each state.
func writeStatusSummary(w io.Writer, st []local.DateStatus) {
	counts := local.StatusCounts(st)
	parts := make([]string, len(local.DateStates))
	for i, s := range local.DateStates {
		parts[i] = fmt.Sprintf("%d %s", counts[s], s)
	}
	span := ""
	if len(st) > 0 {
		span = fmt.Sprintf(" (%s..%s)", st[0].Date, st[len(st)-1].Date)
	}
	fmt.Fprintf(w, "%d dates%s: %s\n\n", len(st), span, strings.Join(parts, ", "))
}
