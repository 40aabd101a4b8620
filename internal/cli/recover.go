package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/tracking"
)

// newRecover is the recovery utilities: each works on the state it holds alone (the state lock), takes
// --dry-run to say what it would do, and ends with one summary line.
func newRecover(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "recover", Short: "Recovery utilities: clean tracking, drop or copy tables of a range, re-run a stage"}
	cmd.AddCommand(newRecoverTracking(g), newRecoverDrop(g), newRecoverCopy(g), newRecoverRerun(g))
	return cmd
}

// verb is the past tense of an action, or its conditional on a dry run.
func verb(dryRun bool, did, would string) string {
	if dryRun {
		return would
	}
	return did
}

func newRecoverTracking(g *globals) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "tracking [--dry-run]",
		Short: "Delete finished and expired tracking documents, and settle the pending work of processes that died",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			rt, err := g.openExisting(ctx)
			if err != nil {
				return err
			}
			defer rt.Close()
			// This command holds the state alone: whatever is pending was left by a process that is gone.
			now := time.Now()
			if rt.Pipeline.Now != nil {
				now = rt.Pipeline.Now()
			}
			left, err := rt.Tracker.Reconcile(ctx, now, dryRun)
			if err != nil {
				return err
			}
			for _, d := range left.Prepares {
				fmt.Fprintf(g.stdout, "%s prepare %s failed (%s)\n", verb(dryRun, "marked", "would mark"), d, tracking.Interrupted)
			}
			rep, err := rt.Tracker.Cleanup(ctx, tracking.CleanOptions{DryRun: dryRun})
			if err != nil {
				return err
			}
			for _, d := range rep.Deleted {
				fmt.Fprintf(g.stdout, "%s %s (%s)\n", verb(dryRun, "deleted", "would delete"), d.Path, d.Reason)
			}
			fmt.Fprintf(g.stdout, "%s %d stale prepares as %s, %s %d event leases of dead processes, %s %d finished or expired documents\n",
				verb(dryRun, "failed", "would fail"), len(left.Prepares), tracking.Interrupted,
				verb(dryRun, "released", "would release"), left.Leases, verb(dryRun, "deleted", "would delete"), len(rep.Deleted))
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "say what would be done, change nothing")
	return cmd
}
