package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/pipeline"
)

func newRecoverRerun(g *globals) *cobra.Command {
	var stage, from, to string
	var dryRun bool
	var workers int
	cmd := &cobra.Command{
		Use:   "rerun --stage STAGE --from YYYYMMDD --to YYYYMMDD [--dry-run]",
		Short: "Re-run one stage for every date of a range, replacing its tables",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				to = from
			}
			dates, err := flagDates(from, to)
			if err != nil {
				return err
			}
			stages, err := pipeline.ParseStages(stage)
			if err != nil || len(stages) != 1 || stage == "" {
				return fmt.Errorf("--stage: want one of %v", pipeline.Stages)
			}
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			if dryRun {
				for _, d := range dates {
					fmt.Fprintf(g.stdout, "would re-run %s %s\n", stage, d)
				}
				fmt.Fprintf(g.stdout, "would re-run %s for %d dates (%s..%s)\n", stage, len(dates), from, to)
				return nil
			}
			if err := rt.Intend(dates[0], dates[len(dates)-1]); err != nil {
				return err
			}
			var rows int64
			skipped := 0
			res, err := pipeline.RunRange(cmd.Context(), rt.StageFuncs(), stages, dates, workers, func(r pipeline.Result) {
				if r.Skipped != "" {
					skipped++
					fmt.Fprintf(g.stdout, "re-ran %s %s: skipped, %s\n", r.Stage, r.Date, r.Skipped)
					return
				}
				rows += r.Rows
				fmt.Fprintf(g.stdout, "re-ran %s %s: %d rows in %s\n", r.Stage, r.Date, r.Rows, r.Table)
			})
			fmt.Fprintf(g.stdout, "re-ran %s for %d of %d dates (%s..%s): %d rows, %d skipped\n", stage, len(res), len(dates), from, to, rows, skipped)
			return err
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "the stage: extract, prepare, filter or predict")
	cmd.Flags().StringVar(&from, "from", "", "first date, YYYYMMDD")
	cmd.Flags().StringVar(&to, "to", "", "last date, YYYYMMDD (default: --from)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list the dates, run nothing")
	cmd.Flags().IntVar(&workers, "workers", 4, "dates run at once")
	_ = cmd.MarkFlagRequired("from")
	return cmd
}
