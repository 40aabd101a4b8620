package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/training"
)

func newStatus(g *globals) *cobra.Command {
	var date string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status [--date YYYYMMDD] [--json]",
		Short: "Each date's stages: tables, rows, last job, errors",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if date != "" {
				if _, err := pipeline.ParseDate(date); err != nil {
					return err
				}
			}
			rt, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			st, err := rt.Status(cmd.Context(), date)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, st)
			}
			// HISTORY: how much of the date's new-customer window the data covers (blank without a source).
			hist, herr := training.LoadHistory(cmd.Context(), trainingEnv(rt))
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DATE\tHISTORY\tSTAGE\tSTATE\tROWS\tFINISHED\tERROR")
			for _, d := range st {
				cov := ""
				if c, err := hist.Of(d.Date); herr == nil && err == nil {
					cov = c.String()
				}
				for _, s := range d.Stages {
					fin := ""
					if !s.Finished.IsZero() {
						fin = s.Finished.Local().Format(time.DateTime)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.Date, cov, s.Stage, s.State, s.Rows, fin, s.Error)
				}
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "one run date")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
