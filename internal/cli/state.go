package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pltv/pltv/local"
)

// openExisting opens the state for a command that only reads it (or drops from it): a state that does not
// exist, or was never initialised, is an error rather than a new empty state.
func (g *globals) openExisting(ctx context.Context) (*local.Runtime, error) {
	if err := g.stateExists(); err != nil {
		return nil, err
	}
	return g.open(ctx)
}

// stateExists says what to do when --state names no initialised local state.
func (g *globals) stateExists() error {
	if g.served != nil {
		return nil
	}
	cfg, err := g.config()
	if err != nil || cfg.IsCloud() {
		return err
	}
	if _, err := os.Stat(g.stateDir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state %s does not exist: run pltv init --state %s, or give the --state of an existing one", g.stateDir, g.stateDir)
	}
	if _, err := os.Stat(filepath.Join(g.stateDir, local.WarehouseFile)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state %s is not initialised: run pltv init --state %s", g.stateDir, g.stateDir)
	}
	return nil
}

// requireSource refuses to run stages on a state without source data.
func (g *globals) requireSource(ctx context.Context, rt *local.Runtime) error {
	if rt.Config.IsCloud() {
		return nil
	}
	tables, err := rt.WH.Tables(ctx, rt.Config.SourceDataset(), "")
	if err != nil {
		return err
	}
	if len(tables) == 0 {
		return fmt.Errorf("state %s has no source data: run pltv init --state %s", g.stateDir, g.stateDir)
	}
	return nil
}
