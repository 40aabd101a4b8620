package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/warehouse"
)

func newTables(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "tables", Short: "List or drop the tables of the LTV dataset"}
	cmd.AddCommand(throughServe(g, newTablesLs(g)), newTablesDrop(g))
	return cmd
}

type tableJSON struct {
	Dataset string `json:"dataset"`
	Table   string `json:"table"`
	Name    string `json:"name"`           // the table without its date suffix
	Date    string `json:"date,omitempty"` // the shard's date, for date-sharded tables
	State   string `json:"state"`
	Rows    int64  `json:"rows"`
}

func newTablesLs(g *globals) *cobra.Command {
	var asJSON, source bool
	var prefix string
	cmd := &cobra.Command{
		Use:   "ls [--json] [--source] [--prefix NAME]",
		Short: "List tables with their state and row counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			ds := rt.Config.LTVDataset()
			if source {
				ds = rt.Config.SourceDataset()
			}
			infos, err := rt.WH.Tables(cmd.Context(), ds, prefix)
			if err != nil {
				return err
			}
			out := make([]tableJSON, 0, len(infos))
			for _, t := range infos {
				name, date, _ := warehouse.SplitShard(t.Ref.Table)
				out = append(out, tableJSON{ds.Dataset, t.Ref.Table, name, date, t.State.String(), t.Rows})
			}
			if asJSON {
				return writeJSON(g.stdout, out)
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TABLE\tSTATE\tROWS")
			for _, t := range out {
				fmt.Fprintf(tw, "%s.%s\t%s\t%d\n", t.Dataset, t.Table, t.State, t.Rows)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&source, "source", false, "list the source dataset instead of the LTV dataset")
	cmd.Flags().StringVar(&prefix, "prefix", "", "only tables whose name starts with this")
	return cmd
}

func newTablesDrop(g *globals) *cobra.Command {
	var f rangeFlags
	cmd := &cobra.Command{
		Use:   "drop --from YYYYMMDD --to YYYYMMDD [--tables PREFIX,...] [--dry-run]",
		Short: "Drop the date shards of the LTV dataset within a date range",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return g.dropRange(cmd, &f) },
	}
	f.add(cmd)
	return cmd
}

// shardsBetween lists the date shards of a dataset dated from..to.
func shardsBetween(ctx context.Context, wh warehouse.Warehouse, ds warehouse.Dataset, from, to string) ([]warehouse.Ref, error) {
	infos, err := wh.Tables(ctx, ds, "")
	if err != nil {
		return nil, err
	}
	var out []warehouse.Ref
	for _, t := range infos {
		if _, date, ok := warehouse.SplitShard(t.Ref.Table); ok && date >= from && date <= to {
			out = append(out, t.Ref)
		}
	}
	return out, nil
}
