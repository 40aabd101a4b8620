// Package cli is the pltv command line: one cobra command per file, each a thin layer over local/, pipeline/ and
// the ports. Every command takes --config and --state, exits non-zero with a one-line reason, and prints JSON
// with --json where it lists things.
package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/local"
)

// globals are the flags every command takes.
type globals struct {
	configPath string
	stateDir   string
	verbose    bool
	stdout     io.Writer
	stderr     io.Writer
	// command is the command line, recorded in the state's lock for a second command to name.
	command string
	args    []string // the arguments after "pltv"
	// served is the runtime of the `pltv serve` running this command for a client: open and start borrow it.
	served *local.Embedded
	// cloud are the client options of the cloud drivers, with RUNTIME=cloud (cloud.go).
	cloud cloudClients
}

// Execute runs the command line with args.
func Execute(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	g := &globals{stdout: stdout, stderr: stderr, args: args, command: strings.Join(append([]string{"pltv"}, args...), " ")}
	root := newRoot(g)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

func newRoot(g *globals) *cobra.Command {
	stdout, stderr := g.stdout, g.stderr
	root := &cobra.Command{
		Use:           "pltv",
		Short:         "Predict the lifetime value of new customers, every day and for any backfilled range",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	f := root.PersistentFlags()
	f.StringVar(&g.configPath, "config", "", "config file (default pltv.yaml when it exists, else the defaults)")
	f.StringVar(&g.stateDir, "state", ".pltv", "directory of the local state")
	f.BoolVarP(&g.verbose, "verbose", "v", false, "log every step")
	root.AddCommand(
		newInit(g), newRun(g), newTrain(g), newEvaluate(g), newGenerate(g), newTables(g), newConfig(g), newExecutions(g), newTracking(g), throughServe(g, newStatus(g)), newBench(g), newServe(g), throughServe(g, newBackfill(g)), newWorkflows(g), newDemo(g), newModel(g), newRecover(g),
	)
	return root
}

// config loads and validates the configuration; nothing runs before it passes.
func (g *globals) config() (config.Config, error) {
	return config.Load(g.configPath, os.LookupEnv)
}

func (g *globals) logger() *slog.Logger {
	level := slog.LevelWarn
	if g.verbose {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level}))
}

// open loads the configuration and opens the runtime; the caller closes it.
func (g *globals) open(ctx context.Context) (*local.Runtime, error) {
	if g.served != nil {
		return g.served.Runtime.Borrow(), nil
	}
	cfg, err := g.config()
	if err != nil {
		return nil, err
	}
	if cfg.IsCloud() {
		return g.openCloud(ctx, cfg)
	}
	return local.Open(ctx, cfg, local.Options{StateDir: g.stateDir, Log: g.logger(), Command: g.command})
}
