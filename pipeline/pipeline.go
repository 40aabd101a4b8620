package pipeline

import (
	"log/slog"
	"time"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/warehouse"
)

// Tables written by the stages, each sharded by run date (name_YYYYMMDD).
const (
	AllDailyTransactions      = "all_daily_transactions"
	PreparedDailyTransactions = "prepared_daily_transactions"
	NewCustomersTransactions  = "prepared_new_customers_daily_transactions"
	Predictions               = "predictions"
	Metadata                  = "metadata"
	TrainingDataFeatures      = "training_data_features"
)

// Stage names, as they appear in job labels and logs.
const (
	StageExtract = "extract"
	StagePrepare = "prepare"
	StageFilter  = "filter"
	StagePredict = "predict"
)

// Settings are the parts of the configuration the stages read.
type Settings struct {
	Deployment    string            // DEPLOYMENT_NAME, the first job label
	LagDays       int               // EXTRACT_LAG_DAYS
	NewClientDays int               // MODEL_NEW_CLIENT_DAYS
	BatchSize     int               // MAX_PREDICTION_BATCH_SIZE
	Custom        map[string]string // CUSTOM_VARIABLES
}

// Pipeline runs the stages for one deployment.
type Pipeline struct {
	WH       warehouse.Warehouse
	SQL      *hooks.SQL
	Hooks    hooks.Hooks
	Settings Settings
	Log      *slog.Logger
	Now      func() time.Time

	Predictor *Predictor  // the predict stages; nil when only the warehouse stages run
	Reads     FilterReads // where filters record what they read; nil: nowhere, and no filter is found stale
	// Sums keeps the fingerprints of the prepared days filters read, while their tables are unchanged (with
	// a warehouse that has versions); nil: every filter reads its whole window again.
	Sums *tablesum.Cache
}

// Result says what a stage did for a date.
type Result struct {
	Stage   string
	Date    string
	Table   warehouse.Ref
	Rows    int64
	JobID   string
	Skipped string // why the stage wrote nothing, when it did not
}

func (p *Pipeline) ltv() warehouse.Dataset { return p.SQL.Tables().LTV }

func (p *Pipeline) labels(stage, date string) warehouse.Labels {
	return warehouse.JobLabels(p.Settings.Deployment, stage, date)
}

func (p *Pipeline) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Pipeline) vars(date string) hooks.Vars {
	return hooks.Vars{
		Date:          date,
		LagDays:       p.Settings.LagDays,
		NewClientDays: p.Settings.NewClientDays,
		SourceSharded: p.SQL.Tables().SourceSharded,
		BatchSize:     p.Settings.BatchSize,
		Custom:        p.Settings.Custom,
	}
}
