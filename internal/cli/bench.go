package cli

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/internal/bench"
)

func newBench(g *globals) *cobra.Command {
	var o bench.Options
	var only string
	var transactions, days int
	var asJSON bool
	var from, to string
	names := []string{"stages", "backfill", "scale"}
	defaults := []string{"stages"} // scale writes about 1 GB and takes minutes: asked for by name
	cmd := &cobra.Command{
		Use:   "bench [--only stages,backfill,scale] [--from D --to D]",
		Short: "Run the end-to-end benchmarks on fresh state and print their figures",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			run := defaults
			if only != "" {
				run = strings.Split(only, ",")
				for _, n := range run {
					if !slices.Contains(names, n) {
						return fmt.Errorf("--only %s: unknown benchmark (benchmarks: %s)", n, strings.Join(names, ","))
					}
				}
			}
			if !asJSON {
				o.Log = g.stderr
			}
			ctx := cmd.Context()
			var reports []bench.Report
			for _, n := range run {
				var r bench.Report
				var err error
				switch n {
				case "stages":
					r, err = bench.Stages(ctx, o, o.Source, "stages", 20*time.Second)
				case "backfill":
					r, err = bench.Backfill(ctx, o, from, to)
				case "scale":
					r, err = bench.Scale(ctx, o, transactions, days)
				}
				if err != nil {
					return fmt.Errorf("bench %s: %w", n, err)
				}
				reports = append(reports, r)
			}
			if asJSON {
				return writeJSON(g.stdout, reports)
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "BENCHMARK\tFIGURE\tVALUE\tTARGET")
			for _, r := range reports {
				for _, f := range r.Figures {
					fmt.Fprintf(tw, "%s\t%s\t%.3g %s\t%s\n", r.Benchmark, f.Name, f.Value, f.Unit, f.Target)
				}
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&only, "only", "", "comma-separated benchmarks to run: "+strings.Join(names, ",")+" (default: "+strings.Join(defaults, ",")+")")
	f.StringVar(&o.Source, "source", DefaultSource, sourceHelp)
	f.StringVar(&o.TempDir, "tmp", "", "directory for the benchmarks' temporary state")
	f.StringVar(&from, "from", "20110301", "first run date of the backfill benchmark")
	f.StringVar(&to, "to", "20110331", "last run date of the backfill benchmark")
	f.IntVar(&transactions, "transactions", 10_000_000, "synthetic transaction lines of the scale benchmark")
	f.IntVar(&days, "days", 30, "days of the scale benchmark")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
