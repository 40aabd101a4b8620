package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/internal/synth"
)

func newGenerate(g *globals) *cobra.Command {
	var opts synth.Options
	var start string
	var asJSON, quiet bool
	cmd := &cobra.Command{
		Use:   "generate (--customers N | --transactions N) --days N --out DIR [--seed S] [--start YYYYMMDD]",
		Short: "Write synthetic source data in the Online Retail CSV format, one file per trading day",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if start != "" {
				t, err := time.Parse("20060102", start)
				if err != nil {
					return fmt.Errorf("--start %q: want a calendar date as YYYYMMDD", start)
				}
				opts.Start = t
			}
			var progress io.Writer = g.stderr
			if quiet || asJSON {
				progress = nil
			}
			s, err := synth.Generate(cmd.Context(), opts, progress)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, s)
			}
			fmt.Fprintf(g.stdout, "wrote %d day files (%s..%s) to %s: %d lines, %d invoices, %d customers (%d came back)\n",
				s.Files, s.First.Format(time.DateOnly), s.Last.Format(time.DateOnly), opts.Out, s.Lines, s.Invoices,
				s.Customers, s.RepeatCustomers)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Customers, "customers", 0, "customers with a first purchase in the period")
	f.IntVar(&opts.Transactions, "transactions", 0, "approximate number of transaction lines (instead of --customers)")
	f.IntVar(&opts.Days, "days", 30, "days to cover")
	f.StringVar(&opts.Out, "out", "", "output directory")
	f.Uint64Var(&opts.Seed, "seed", 1, "random seed: the same seed writes the same files")
	f.StringVar(&start, "start", "", "first day, YYYYMMDD (default 20101201)")
	f.BoolVar(&asJSON, "json", false, "print the summary as JSON")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress lines")
	_ = cmd.MarkFlagRequired("out")
	cmd.MarkFlagsMutuallyExclusive("customers", "transactions")
	return cmd
}
