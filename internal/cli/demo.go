package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/training"
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
				if _, err := flagDates(from, to); err != nil {
					return err
				}
			}
			ctx := cmd.Context()
			start := time.Now()
			_, statErr := os.Stat(g.stateDir)
			fresh := errors.Is(statErr, fs.ErrNotExist)
			// Set up without the services: the pipeline runs that training does must not start workflows.
			rt, err := g.open(ctx)
			if err != nil {
				return err
			}
			modelDate, err := demoSetUp(ctx, g, rt, source)
			var hist training.History
			if err == nil {
				hist, err = training.LoadHistory(ctx, trainingEnv(rt))
			}
			if cerr := rt.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				if fresh { // leave no half-made state behind: the next demo starts afresh
					os.RemoveAll(g.stateDir)
				}
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
			if err := g.backfill(ctx, e, from, to, false); err != nil {
				return err
			}
			if err := writeCoverage(g.stdout, hist, from, to); err != nil {
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
// the newest model the metadata table records.
func demoSetUp(ctx context.Context, g *globals, e *local.Runtime, source string) (string, error) {
	if err := ensureSource(ctx, g, e, source); err != nil {
		return "", err
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

// ensureSource loads the source day files (the shipped data when source is empty) unless the state has them.
func ensureSource(ctx context.Context, g *globals, e *local.Runtime, source string) error {
	src, err := e.WH.Tables(ctx, e.Config.SourceDataset(), "")
	if err != nil || len(src) > 0 {
		return err
	}
	if source == "" {
		fmt.Fprintln(g.stdout, "loading the shipped UCI Online Retail data (Chen, Sain and Guo 2012, CC BY 4.0)...")
	} else {
		fmt.Fprintf(g.stdout, "loading %s...\n", source)
	}
	s, err := e.Init(ctx, source)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "loaded %d rows from %d day files (%s..%s)\n", s.SourceRows, s.SourceFiles, s.FirstDate, s.LastDate)
	return nil
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

// writeCoverage prints each date's history coverage: how much of its new-customer window the data covers.
func writeCoverage(w io.Writer, hist training.History, from, to string) error {
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nhistory coverage of each date's new-customer window:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, d := range dates {
		c, err := hist.Of(d)
		if err != nil {
			return err
		}
		sep := "\t"
		if i%4 == 3 || i == len(dates)-1 {
			sep = "\n"
		}
		fmt.Fprintf(tw, "%s %s%s", d, c, sep)
	}
	return tw.Flush()
}
