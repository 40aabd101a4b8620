package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/executions/embedded"
)

// executions returns the executions of the state: the serving runtime's, or their records.
func (g *globals) executions() (executions.Executions, func(), error) {
	if g.served != nil && g.served.Executions != nil {
		return g.served.Executions, func() {}, nil
	}
	cfg, err := g.config()
	if err != nil {
		return nil, nil, err
	}
	if cfg.IsCloud() {
		c, err := g.cloudExecutions(context.Background(), cfg)
		if err != nil {
			return nil, nil, err
		}
		return c, func() { c.Close() }, nil
	}
	if err := g.stateExists(); err != nil {
		return nil, nil, err
	}
	d, err := embedded.New(embedded.Options{StateDir: g.stateDir})
	if err != nil {
		return nil, nil, err
	}
	return d, func() { d.Close() }, nil
}

func newExecutions(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{Use: "executions", Short: "Local workflow executions, like the Console's executions view"}
	list := &cobra.Command{
		Use:   "list [WORKFLOW]",
		Short: "List executions, newest first",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, done, err := g.executions()
			if err != nil {
				return err
			}
			defer done()
			workflow := ""
			if len(args) == 1 {
				workflow = args[0]
			}
			xs, err := d.List(cmd.Context(), workflow)
			if err != nil {
				return err
			}
			return executions.WriteList(g.stdout, xs, asJSON, time.Now())
		},
	}
	describe := &cobra.Command{
		Use:   "describe ID",
		Short: "Show one execution: argument, state, result or error, steps",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, done, err := g.executions()
			if err != nil {
				return err
			}
			defer done()
			x, err := d.Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return executions.WriteDescribe(g.stdout, x, asJSON, time.Now())
		},
	}
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(throughServe(g, list), throughServe(g, describe))
	return cmd
}
