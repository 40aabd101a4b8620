package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
			if _, err := pipeline.Dates(from, to); err != nil {
				return err
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
			err = demoSetUp(ctx, g, rt, source)
			if cerr := rt.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				if fresh { // leave no half-made state behind: the next demo starts afresh
					os.RemoveAll(g.stateDir)
				}
				return err
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
