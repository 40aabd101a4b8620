package cli

import (
	"fmt"
	"io"
	"strings"
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
			rt, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			if err := ensureSource(cmd.Context(), g, rt, ""); err != nil { // a new state: the shipped data
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
		Use:   "evaluate [--refit] [--splits N] [--from D --to D]",
		Short: "Time-split metrics of the deployed model (or of refits) and the first-purchase baseline, with intervals and charts",
		Long: "Evaluates the model the metadata table selects (the deployed one) on the first purchases after its date, cut into\n" +
			"consecutive time splits, against the first-purchase-value baseline: normalized Gini, Spearman, decile MAPE, AUC of\n" +
			"returning and top-10% value share, each with a bootstrap 90% interval, per split and for their mean. With --refit,\n" +
			"a model is fitted for each split on the cohorts before it instead. It first computes extract, prepare and filter\n" +
			"afresh for every date it reads, and says so, so that its figures never depend on the tables other commands left.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			if err := g.requireSource(cmd.Context(), rt); err != nil {
				return err
			}
			if !asJSON {
				o.Announce = func(p training.PipelinePlan) { fmt.Fprintf(g.stdout, "computing %s\n", p) }
			}
			r, err := training.Evaluate(cmd.Context(), trainingEnv(rt), o)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, r)
			}
			if err := writeEvaluation(g.stdout, r); err != nil {
				return err
			}
			return g.refreshReport(cmd.Context(), rt)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Refit, "refit", false, "fit a model for each split on the cohorts before it instead of evaluating the deployed model")
	f.IntVar(&o.HorizonDays, "horizon", 0, "with --refit: days after the first purchase whose value is the label (default 60)")
	f.StringVar(&o.From, "from", "", "first evaluated first-purchase date (default: the day after the model's date)")
	f.StringVar(&o.To, "to", "", "last evaluated first-purchase date (default: the last whose horizon the data covers)")
	f.IntVar(&o.Splits, "splits", 0, "consecutive time splits (default 4)")
	f.IntVar(&o.Resamples, "resamples", 0, "bootstrap resamples of each split's customers (default 1000)")
	f.Uint64Var(&o.Seed, "seed", 0, "seed of the bootstrap")
	f.StringVar(&o.OutDir, "out", "", "directory for metrics.json and the charts (default <state>/report/eval)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// writeEvaluation prints the evaluation's tables: each split's figures, then the mean's and the verdict.
func writeEvaluation(w io.Writer, r training.Report) error {
	if r.Mode == training.ModeDeployed {
		fmt.Fprintf(w, "deployed model %s (model date %s), horizon %d days, %d bootstrap resamples of customers, %.0f%% intervals\n",
			r.Model, r.ModelDate, r.HorizonDays, r.Resamples, 100*r.Confidence)
	} else {
		fmt.Fprintf(w, "a model refitted for each split on the cohorts before it, horizon %d days, %d bootstrap resamples of customers, %.0f%% intervals\n",
			r.HorizonDays, r.Resamples, 100*r.Confidence)
	}
	for _, s := range r.Splits {
		fmt.Fprintf(w, "\nsplit %d: first purchases %s..%s (%d rows, %d customers)", s.Split, s.From, s.To, s.Rows, s.Customers)
		if s.Train != nil {
			fmt.Fprintf(w, "; trained on %s..%s (%d rows)", s.Train.From, s.Train.To, s.Train.Rows)
		}
		fmt.Fprintln(w)
		if err := writeFigures(w, s.Figures); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nmean of the %d splits\n", len(r.Splits))
	if err := writeFigures(w, r.Mean); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nverdict on the mean:")
	for _, v := range r.Verdict {
		fmt.Fprintf(w, "  %s\n", v)
	}
	for _, m := range r.Outside() {
		why := "its resampled values are skewed"
		if m == "decile_mape" {
			why = "a resample repeats some customers and drops others, which adds noise to each decile's mean, " +
				"so resampled errors run above the observed one"
		}
		fmt.Fprintf(w, "\n%s\n", wrapWords(fmt.Sprintf("note: the value of %s lies outside its own interval above: %s. "+
			"Read that interval as the metric's spread, and the interval of the difference for the comparison.",
			training.MetricLabel(m), why), 110))
	}
	fmt.Fprintf(w, "\nmetrics: %s\ncharts:  %s (deciles, calibration and gain of each split)\n", r.MetricsFile, r.Dir)
	return nil
}

func writeFigures(w io.Writer, figs []training.Figure) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  metric\tmodel\tbaseline\tdifference\t")
	est := func(e training.Estimate) string {
		return fmt.Sprintf("%.3f [%.3f, %.3f]", float64(e.Value), float64(e.Low), float64(e.High))
	}
	for _, f := range figs {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", training.MetricLabel(f.Metric), est(f.Model), est(f.Baseline), est(f.Difference), f.Verdict)
	}
	return tw.Flush()
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

// wrapWords breaks text into lines of at most width characters, between words.
func wrapWords(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(text) {
		switch {
		case n == 0:
		case n+1+len(word) > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
