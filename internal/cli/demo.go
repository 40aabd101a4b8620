package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/training"
	"github.com/pltv/pltv/warehouse"
)

func newDemo(g *globals) *cobra.Command {
	var source, from, to string
	cmd := &cobra.Command{
		Use:   "demo [--from YYYYMMDD --to YYYYMMDD]",
		Short: "The main job on one machine: set up, train, backfill through events and workflows, report",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (from == "") != (to == "") {
				return errors.New("demo: give both --from and --to, or neither")
			}
			if from != "" {
				if _, err := pipeline.Dates(from, to); err != nil {
					return err
				}
			}
			ctx := cmd.Context()
			start := time.Now()
			// Set up without the services: the pipeline runs that training does must not start workflows.
			rt, err := g.open(ctx)
			if err != nil {
				return err
			}
			modelDate, err := demoSetUp(ctx, g, rt, source)
			hist, herr := training.LoadHistory(ctx, trainingEnv(rt))
			if cerr := rt.Close(); err == nil {
				err = cmp.Or(herr, cerr)
			}
			if err != nil {
				return err
			}
			if from == "" {
				if from, to, err = demoRange(modelDate); err != nil {
					return err
				}
			}
			e, err := g.start(ctx, true)
			if err != nil {
				return err
			}
			defer e.Close()
			fmt.Fprintf(g.stdout, "backfilling %s..%s through the local Eventarc, services and daily workflow...\n", from, to)
			dates, err := e.Server.Backfill(ctx, from, to)
			if err != nil {
				return err
			}
			runs, err := waitStarted(ctx, e, dates)
			if err != nil {
				return err
			}
			if err := writeBackfill(g, dates, runs); err != nil {
				return err
			}
			if err := demoReport(ctx, g, e, dates, hist); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "\ndone in %s. Next: pltv status, pltv tables ls, pltv executions list, pltv evaluate (state in %s)\n",
				time.Since(start).Round(time.Second), g.stateDir)
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", DefaultSource, "the day files to load when the state is new (default: the shipped UCI Online Retail data)")
	cmd.Flags().StringVar(&from, "from", "", "first run date to backfill (default: the day after the model's date)")
	cmd.Flags().StringVar(&to, "to", "", "last run date to backfill (default: 30 dates from --from)")
	return cmd
}

// demoSetUp loads the source and trains the local model, unless an earlier run did, and returns the date of
// the model the metadata table selects last.
func demoSetUp(ctx context.Context, g *globals, e *local.Runtime, source string) (string, error) {
	src, err := e.WH.Tables(ctx, e.Config.SourceDataset(), "")
	if err != nil {
		return "", err
	}
	if len(src) == 0 {
		if source == "" {
			fmt.Fprintln(g.stdout, "loading the shipped UCI Online Retail data (Chen, Sain and Guo 2012, CC BY 4.0)...")
		} else {
			fmt.Fprintf(g.stdout, "loading %s...\n", source)
		}
		s, err := e.Init(ctx, source)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(g.stdout, "loaded %d rows from %d day files (%s..%s)\n", s.SourceRows, s.SourceFiles, s.FirstDate, s.LastDate)
	}
	if m, err := pipeline.SelectModel(ctx, e.WH, e.Config.LTVDataset(), lastDate); err == nil && m.Name != local.BaselineModel {
		fmt.Fprintf(g.stdout, "using the trained model %s (model date %s)\n", m.Name, m.ModelDate)
		return m.ModelDate, nil
	}
	fmt.Fprintf(g.stdout, "training the local model (%d-day burn-in: MODEL_BURN_IN_DAYS)...\n", e.Config.ModelBurnInDays)
	r, err := training.Train(ctx, trainingEnv(e), training.Options{})
	if err != nil {
		return "", err
	}
	fmt.Fprintf(g.stdout, "trained %s on the first purchases of %s..%s (%d), model date %s\n",
		r.Name, r.Window.CohortFrom, r.Window.CohortTo, r.Metrics.Rows, r.Window.ModelDate)
	return r.Window.ModelDate, writeMetrics(g.stdout, "training", r.Metrics.Model, r.Metrics.Baseline)
}

// lastDate is a run date after any data: the metadata table selects for it the newest model.
const lastDate = "99991231"

// demoRange is the default backfill: the 30 run dates after the model's date.
func demoRange(modelDate string) (from, to string, err error) {
	if from, err = pipeline.AddDays(modelDate, 1); err != nil {
		return "", "", err
	}
	to, err = pipeline.AddDays(from, 29)
	return from, to, err
}

// demoReport sums up the predictions the backfill wrote, date by date with the date's history coverage (how
// much of its new-customer window the data covers).
func demoReport(ctx context.Context, g *globals, e *local.Embedded, dates []local.DateResult, hist training.History) error {
	var rows int64
	var value float64
	written := 0
	fmt.Fprintln(g.stdout)
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "DATE\tHISTORY\tPREDICTIONS\tVALUE\t")
	for _, d := range dates {
		var n int64
		var v float64
		if d.Outcome == services.Started {
			t := e.Config.LTVDataset().Shard(pipeline.Predictions, d.Date)
			err := e.WH.Read(ctx, warehouse.ReadRequest{SQL: "SELECT COUNT(*), SUM(conversionValue) FROM " + t.SQL()},
				func(b warehouse.Batch) error {
					n, _ = b.Rows[0][0].(int64)
					v, _ = b.Rows[0][1].(float64)
					return nil
				})
			if err != nil && !errors.Is(err, warehouse.ErrNotFound) {
				return err
			}
		}
		if n > 0 {
			rows, value = rows+n, value+v
			written++
		}
		c, err := hist.Of(d.Date)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t\n", d.Date, c, n, v)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "\n%d predictions written for %d dates: %.0f of predicted value from new customers (mean %.2f)\n",
		rows, written, value, value/float64(max(rows, 1)))
	return nil
}
