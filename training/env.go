package training

import (
	"log/slog"
	"path/filepath"
	"time"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// Env is what training needs of a wired pltv (the embedded runtime gives it all).
type Env struct {
	WH warehouse.Warehouse
	// Tables names the source and the LTV dataset.
	Tables hooks.Tables
	// Stages run extract, prepare and filter for a date (local.Runtime.StageFuncs).
	Stages map[string]pipeline.StageFunc
	// LagDays is EXTRACT_LAG_DAYS: run date D reads data day D - LagDays.
	LagDays int
	// NewClientDays is MODEL_NEW_CLIENT_DAYS, the new-customer window, and BurnInDays MODEL_BURN_IN_DAYS:
	// training leaves out the first purchases of run dates whose window the data covers for fewer days
	// (see History). 0 means no burn-in.
	NewClientDays, BurnInDays int
	// StateDir holds the models (<StateDir>/models) and the evaluation output (<StateDir>/evaluation).
	StateDir string
	// Workers is how many dates a pipeline stage runs at a time; 0 means 2.
	Workers int
	Log     *slog.Logger     // nil discards
	Now     func() time.Time // nil means time.Now
}

func (e Env) withDefaults() Env {
	if e.Workers <= 0 {
		e.Workers = 2
	}
	if e.Log == nil {
		e.Log = slog.New(slog.DiscardHandler)
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	return e
}

// ModelsDir is where the model files live: <state>/models.
func ModelsDir(stateDir string) string { return filepath.Join(stateDir, "models") }

func (e Env) ltv() warehouse.Dataset { return e.Tables.LTV }
