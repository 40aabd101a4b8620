package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
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
			if _, err := pipeline.Dates(from, to); err != nil {
				return err
			}
			ctx := cmd.Context()
			start := time.Now()
			// Set up without the services: the pipeline runs that training does must not start workflows.
			rt, err := g.open(ctx)
			if err != nil {
				return err
			}
			err = demoSetUp(ctx, g, rt, source)
			if cerr := rt.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
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
			if err := demoReport(ctx, g, e, dates); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "\ndone in %s. Next: pltv status, pltv tables ls, pltv executions list, pltv evaluate (state in %s)\n",
				time.Since(start).Round(time.Second), g.stateDir)
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", DefaultSource, "the day files to load when the state is new (default: the shipped UCI Online Retail data)")
	cmd.Flags().StringVar(&from, "from", "20110301", "first run date to backfill")
	cmd.Flags().StringVar(&to, "to", "20110331", "last run date to backfill")
	return cmd
}

// demoSetUp loads the source and trains the local model, unless an earlier run did.
func demoSetUp(ctx context.Context, g *globals, e *local.Runtime, source string) error {
	src, err := e.WH.Tables(ctx, e.Config.SourceDataset(), "")
	if err != nil {
		return err
	}
	if len(src) == 0 {
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
	}
	models, _ := filepath.Glob(filepath.Join(training.ModelsDir(e.StateDir), "*.json"))
	if len(models) > 0 {
		fmt.Fprintf(g.stdout, "using the trained model in %s\n", training.ModelsDir(e.StateDir))
		return nil
	}
	fmt.Fprintln(g.stdout, "training the local model on the first 90 days...")
	r, err := training.Train(ctx, trainingEnv(e), training.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "trained %s on %d first purchases\n", r.Name, r.Metrics.Rows)
	return writeMetrics(g.stdout, "training", r.Metrics.Model, r.Metrics.Baseline)
}

// demoReport sums up the predictions the backfill wrote.
func demoReport(ctx context.Context, g *globals, e *local.Embedded, dates []local.DateResult) error {
	var rows int64
	var value float64
	written := 0
	for _, d := range dates {
		if d.Outcome != services.Started {
			continue
		}
		t := e.Config.LTVDataset().Shard(pipeline.Predictions, d.Date)
		err := e.WH.Read(ctx, warehouse.ReadRequest{SQL: "SELECT COUNT(*), SUM(conversionValue) FROM " + t.SQL()},
			func(b warehouse.Batch) error {
				if n, ok := b.Rows[0][0].(int64); ok && n > 0 {
					rows += n
					written++
					v, _ := b.Rows[0][1].(float64)
					value += v
				}
				return nil
			})
		if err != nil && !errors.Is(err, warehouse.ErrNotFound) {
			return err
		}
	}
	fmt.Fprintf(g.stdout, "\n%d predictions written for %d dates: %.0f of predicted value from new customers (mean %.2f)\n",
		rows, written, value, value/float64(max(rows, 1)))
	return nil
}
