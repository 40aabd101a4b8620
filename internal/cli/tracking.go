package cli

import (
	"github.com/spf13/cobra"

	"github.com/pltv/pltv/tracking"
)

func newTracking(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{Use: "tracking", Short: "The tracking collections: prepares, predictions, traces, tasks, events"}
	var docs bool
	ls := &cobra.Command{
		Use:   "ls [--docs]",
		Short: "List the collections with their document counts (and, with --docs, the documents)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			return tracking.List(cmd.Context(), rt.Tracker, g.stdout, tracking.ListOptions{Documents: docs}, asJSON)
		},
	}
	ls.Flags().BoolVar(&docs, "docs", false, "list every document and check its shape")
	var opts tracking.CleanOptions
	clean := &cobra.Command{
		Use:   "clean [--dry-run] [--all]",
		Short: "Delete finished and expired documents (--all: every document of this deployment)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rt, err := g.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			return tracking.Clean(cmd.Context(), rt.Tracker, g.stdout, opts, asJSON)
		},
	}
	clean.Flags().BoolVar(&opts.DryRun, "dry-run", false, "list what would be deleted, delete nothing")
	clean.Flags().BoolVar(&opts.All, "all", false, "delete every document of this deployment")
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(throughServe(g, ls), clean)
	return cmd
}
