package cli

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/config"
)

func newConfig(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Inspect the configuration"}
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Validate the config file: every problem with its key and line",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return config.RunCheck(g.stdout, g.configPath, os.LookupEnv)
		},
	})
	return cmd
}
