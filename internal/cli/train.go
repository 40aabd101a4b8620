package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/training"
)

func trainingEnv(rt *local.Runtime) training.Env {
	return training.Env{
		WH: rt.WH, Tables: rt.SQL.Tables(), Stages: rt.StageFuncs(), LagDays: rt.Config.ExtractLagDays,
		NewClientDays: rt.Config.ModelNewClientDays, BurnInDays: rt.Config.ModelBurnInDays,
		StateDir: rt.StateDir, Log: rt.Log,
	}
}

func newTrain(g *globals) *cobra.Command {
	var o training.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "train [--model-date YYYYMMDD] [--horizon DAYS]",
		Short: "Train the local model; write it, its features table and a metadata row",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			if err := g.requireSource(cmd.Context(), rt); err != nil {
				return err
			}
			r, err := training.Train(cmd.Context(), trainingEnv(rt), o)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, r)
			}
			fmt.Fprintf(g.stdout, "trained %s on %d first purchases (%d customers); model file %s\n",
				r.Name, r.Metrics.Rows, r.Metrics.Customers, r.Path)
			return writeMetrics(g.stdout, "training", r.Metrics.Model, r.Metrics.Baseline)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.ModelDate, "model-date", "", "the model's date: the last run date it reads (default: the first date out of the burn-in + 60 cohort days + the horizon - 1)")
	f.IntVar(&o.HorizonDays, "horizon", 0, "days after the first purchase whose value is the label (default 60)")
	f.StringVar(&o.CohortFrom, "cohort-from", "", "first first-purchase date learnt from")
	f.StringVar(&o.CohortTo, "cohort-to", "", "last first-purchase date learnt from")
	f.StringVar(&o.Name, "name", "", "model name (default ltv-<model_date>-<hash>)")
	f.BoolVar(&o.Refresh, "refresh", false, "rerun extract, prepare and filter for every date read")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newEvaluate(g *globals) *cobra.Command {
	var o training.EvalOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "evaluate [--horizon DAYS] [--holdout-from D --holdout-to D]",
		Short: "Holdout metrics of the local model and the first-purchase baseline, with a decile chart",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			if err := g.requireSource(cmd.Context(), rt); err != nil {
				return err
			}
			r, err := training.Evaluate(cmd.Context(), trainingEnv(rt), o)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, r)
			}
			fmt.Fprintf(g.stdout, "trained on first purchases %s..%s (%d), held out %s..%s (%d), horizon %d days\n",
				r.Train.From, r.Train.To, r.Train.Rows, r.Holdout.From, r.Holdout.To, r.Holdout.Rows, r.HorizonDays)
			if err := writeMetrics(g.stdout, "holdout", r.Model, r.Baseline); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "model beats the first-purchase baseline: %v\nmetrics: %s\nchart:   %s\n",
				r.ModelBeatsBaseline, r.MetricsFile, r.ChartFile)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.HorizonDays, "horizon", 0, "days after the first purchase whose value is the label (default 60)")
	f.StringVar(&o.HoldoutFrom, "holdout-from", "", "first held-out first-purchase date")
	f.StringVar(&o.HoldoutTo, "holdout-to", "", "last held-out first-purchase date")
	f.StringVar(&o.TrainFrom, "train-from", "", "first first-purchase date learnt from")
	f.StringVar(&o.TrainTo, "train-to", "", "last first-purchase date learnt from")
	f.StringVar(&o.OutDir, "out", "", "directory for metrics.json and deciles.png (default <state>/evaluation)")
	f.BoolVar(&o.Refresh, "refresh", false, "rerun extract, prepare and filter for every date read")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func writeMetrics(w io.Writer, what string, m, base training.Metrics) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tmodel\tfirst-purchase baseline\n", what)
	row := func(name string, a, b training.Number) {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\n", name, float64(a), float64(b))
	}
	row("normalized Gini", m.NormalizedGini, base.NormalizedGini)
	row("Spearman", m.Spearman, base.Spearman)
	row("decile MAPE", m.DecileMAPE, base.DecileMAPE)
	row("AUC (returning)", m.AUC, base.AUC)
	row("top-10% value share", m.Top10Share, base.Top10Share)
	return tw.Flush()
}
