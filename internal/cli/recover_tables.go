package cli

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/warehouse"
)

// datasetRE is a dataset name BigQuery accepts: letters, digits and underscores (BigQuery allows up to 1024; 1000 is enough here).
var datasetRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,1000}$`)

// rangeFlags are the flags every range utility takes.
type rangeFlags struct {
	from, to string
	tables   []string // name prefixes of the tables; empty: every date-sharded table
	dryRun   bool
}

func (f *rangeFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.from, "from", "", "first date, YYYYMMDD")
	cmd.Flags().StringVar(&f.to, "to", "", "last date, YYYYMMDD (default: --from)")
	cmd.Flags().StringSliceVar(&f.tables, "tables", nil, "only the tables whose name starts with one of these (comma-separated)")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "say what would be done, change nothing")
	_ = cmd.MarkFlagRequired("from")
}

// check validates the flags before anything reaches the warehouse.
func (f *rangeFlags) check() error {
	if f.to == "" {
		f.to = f.from
	}
	if _, err := flagDates(f.from, f.to); err != nil {
		return err
	}
	for _, p := range f.tables {
		if !datasetRE.MatchString(p) {
			return fmt.Errorf("--tables: %q is not a table name (letters, digits and underscores)", p)
		}
	}
	return nil
}

// shards lists the date shards of ds dated in the range and named by the prefixes.
func (f *rangeFlags) shards(cmd *cobra.Command, wh warehouse.Warehouse, ds warehouse.Dataset) ([]warehouse.Ref, error) {
	refs, err := shardsBetween(cmd.Context(), wh, ds, f.from, f.to)
	if err != nil || len(f.tables) == 0 {
		return refs, err
	}
	var out []warehouse.Ref
	for _, r := range refs {
		for _, p := range f.tables {
			if strings.HasPrefix(r.Table, p) {
				out = append(out, r)
				break
			}
		}
	}
	return out, nil
}

func newRecoverDrop(g *globals) *cobra.Command {
	var f rangeFlags
	cmd := &cobra.Command{
		Use:   "drop --from YYYYMMDD --to YYYYMMDD [--tables PREFIX,...] [--dry-run]",
		Short: "Drop the date shards of the LTV dataset within a range",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.check(); err != nil {
				return err
			}
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			refs, err := f.shards(cmd, rt.WH, rt.Config.LTVDataset())
			if err != nil {
				return err
			}
			for _, r := range refs {
				if !f.dryRun {
					if err := rt.WH.Drop(cmd.Context(), r); err != nil {
						return err
					}
				}
				fmt.Fprintf(g.stdout, "%s %s\n", verb(f.dryRun, "dropped", "would drop"), r)
			}
			fmt.Fprintf(g.stdout, "%s %d tables dated %s..%s\n", verb(f.dryRun, "dropped", "would drop"), len(refs), f.from, f.to)
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func newRecoverCopy(g *globals) *cobra.Command {
	var f rangeFlags
	var fromDataset, toDataset string
	cmd := &cobra.Command{
		Use:   "copy --from YYYYMMDD --to YYYYMMDD --to-dataset NAME [--from-dataset NAME] [--tables PREFIX,...] [--dry-run]",
		Short: "Copy the date shards of a range from one dataset to another (the LTV dataset by default), replacing them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.check(); err != nil {
				return err
			}
			for flag, v := range map[string]string{"--to-dataset": toDataset, "--from-dataset": fromDataset} {
				if v != "" && !datasetRE.MatchString(v) {
					return fmt.Errorf("%s: %q is not a dataset name (letters, digits and underscores)", flag, v)
				}
			}
			if toDataset == "" {
				return fmt.Errorf("--to-dataset is required")
			}
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			src := rt.Config.LTVDataset()
			if fromDataset != "" {
				src.Dataset = fromDataset
			}
			dst := warehouse.Dataset{Project: src.Project, Dataset: toDataset}
			if dst == src {
				return fmt.Errorf("--to-dataset %s is the dataset copied from", toDataset)
			}
			refs, err := f.shards(cmd, rt.WH, src)
			if err != nil {
				return err
			}
			var rows int64
			for _, r := range refs {
				to := dst.Table(r.Table)
				if !f.dryRun {
					res, err := rt.WH.Copy(cmd.Context(), warehouse.CopyJob{Source: r, Destination: to})
					if err != nil {
						return err
					}
					rows += res.Rows
				}
				fmt.Fprintf(g.stdout, "%s %s to %s\n", verb(f.dryRun, "copied", "would copy"), r, to)
			}
			fmt.Fprintf(g.stdout, "%s %d tables dated %s..%s from %s to %s (%d rows)\n", verb(f.dryRun, "copied", "would copy"),
				len(refs), f.from, f.to, src.Dataset, dst.Dataset, rows)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&fromDataset, "from-dataset", "", "the dataset to copy from (default: BQ_LTV_DATASET)")
	cmd.Flags().StringVar(&toDataset, "to-dataset", "", "the dataset to copy to")
	return cmd
}
