package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/workflows"
)

func newWorkflows(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "workflows", Short: "Run workflow files in the local Cloud Workflows engine"}
	var data string
	run := &cobra.Command{
		Use:   "run FILE|NAME [--data JSON]",
		Short: "Run a workflow (daily, backfill, or any file) against the local services and print its result",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, name, err := workflows.Resolve(args[0])
			if err != nil {
				return err
			}
			var arg any
			if data != "" {
				if !json.Valid([]byte(data)) {
					return fmt.Errorf("--data is not valid JSON: %.80q", data)
				}
				arg = json.RawMessage(data)
			}
			ctx := cmd.Context()
			e, err := g.start(ctx, true)
			if err != nil {
				return err
			}
			defer e.Close()
			source := func(context.Context, string) ([]byte, error) { return src, nil }
			d, err := e.ExecutionsOf(source, e.Server.WorkflowEnv(), e.Log)
			if err != nil {
				return err
			}
			defer d.Close()
			x, err := d.Start(ctx, name, arg)
			if err != nil {
				return err
			}
			if x, err = d.Wait(ctx, x.ID); err != nil {
				return err
			}
			// A backfill starts daily workflows through the services: wait for them too.
			if _, err := waitExecutions(ctx, e, workflows.Daily); err != nil {
				return err
			}
			if x.State != executions.StateSucceeded {
				if x.Error != nil {
					fmt.Fprintln(g.stdout, x.Error.Payload)
					if x.Error.Context != "" {
						fmt.Fprintln(g.stderr, x.Error.Context)
					}
				}
				return fmt.Errorf("execution %s of %s %s after %d steps", x.ID, name, x.State, x.Steps)
			}
			var out any
			if err := json.Unmarshal([]byte(x.Result), &out); err != nil {
				return errors.New("the execution's result is not JSON")
			}
			fmt.Fprintf(g.stderr, "execution %s of %s succeeded in %d steps\n", x.ID, name, x.Steps)
			return writeJSON(g.stdout, out)
		},
	}
	run.Flags().StringVar(&data, "data", "", "the workflow's argument, as JSON")
	cmd.AddCommand(throughServe(g, run))
	return cmd
}
