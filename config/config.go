package config

import (
	"time"

	"github.com/robfig/cron/v3"

	"github.com/pltv/pltv/warehouse"
)

// Config is the whole configuration, typed. Each field's comment names its key in the file.
// Start from Default or Load; a Config changed by code should be checked again with Validate.
type Config struct {
	// General.
	DeploymentName    string  // DEPLOYMENT_NAME
	SolutionPrefix    string  // SOLUTION_PREFIX
	ServiceAccount    string  // SERVICE_ACCOUNT
	DefaultGCPProject string  // DEFAULT_GCP_PROJECT
	DefaultGCPRegion  string  // DEFAULT_GCP_REGION
	Runtime           Runtime // RUNTIME

	// BigQuery data source.
	BQDataSourceGCPProject string // BQ_DATA_SOURCE_GCP_PROJECT (empty: BQ_LTV_GCP_PROJECT)
	BQDataSourceDataSet    string // BQ_DATA_SOURCE_DATA_SET
	BQDataSourceTables     string // BQ_DATA_SOURCE_TABLES
	BQDataSourceIsSharded  bool   // BQ_DATA_SOURCE_IS_SHARDED
	ExtractLagDays         int    // EXTRACT_LAG_DAYS

	// BigQuery LTV.
	BQLTVGCPProject     string // BQ_LTV_GCP_PROJECT
	BQLTVGCPBroadRegion string // BQ_LTV_GCP_BROAD_REGION
	BQLTVDataset        string // BQ_LTV_DATASET

	// Model.
	ModelGCPProject        string        // MODEL_GCP_PROJECT
	ModelRegion            string        // MODEL_REGION
	ModelAutoMLAPIEndpoint string        // MODEL_AUTOML_API_ENDPOINT (empty: see ModelAPIEndpoint)
	ModelNewClientDays     int           // MODEL_NEW_CLIENT_DAYS
	ModelBurnInDays        int           // MODEL_BURN_IN_DAYS
	ModelBackend           ModelBackend  // MODEL_BACKEND
	ModelMode              ModelMode     // MODEL_MODE
	ModelEndpointID        string        // MODEL_ENDPOINT_ID
	ModelMachineType       string        // MODEL_MACHINE_TYPE
	ModelMinReplicas       int           // MODEL_MIN_REPLICAS
	ModelMaxReplicas       int           // MODEL_MAX_REPLICAS
	ModelDeployTimeout     time.Duration // MODEL_DEPLOY_TIMEOUT_MINUTES

	// Polling & throttling.
	Timezone                *time.Location // TIMEZONE
	ModelStopperPoller      Cron           // MODEL_STOPPER_POLLER_CONFIG
	DataSourceDailyTxPoller Cron           // DATA_SOURCE_DAILY_TX_POLLER_CONFIG
	LongRunningTasksPoller  Cron           // LONG_RUNNING_TASKS_POLLER_CONFIG
	DiscardTasksOlderThan   time.Duration  // DISCARD_TASKS_OLDER_THAN_HOURS
	StopModelWaiting        time.Duration  // STOP_MODEL_WAITING_MINUTES

	// Tuning.
	MaxTasksPerPoll               int           // MAX_TASKS_PER_POLL
	DelayPrepareDaily             time.Duration // DELAY_PREPARE_DAILY_IN_SECONDS
	DelayExtractNewCustomersDaily time.Duration // DELAY_EXTRACT_NEW_CUSTOMERS_DAILY_IN_SECONDS
	DelayPredictTransactions      time.Duration // DELAY_PREDICT_TRANSACTIONS_IN_SECONDS
	MaxPredictionBatchSize        int           // MAX_PREDICTION_BATCH_SIZE
	PredictConcurrency            int           // PREDICT_CONCURRENCY
	PredictBatchConcurrency       int           // PREDICT_BATCH_CONCURRENCY

	// Customisation. Relative paths in the file are resolved against the file's directory.
	HooksDir        string            // HOOKS_DIR (empty: the shipped templates)
	FeaturesCSV     string            // FEATURES_CSV (empty: the shipped features)
	ExtraData       []ExtraData       // EXTRA_DATA
	CustomVariables map[string]string // CUSTOM_VARIABLES

	file string            // the file read, "" when none
	src  map[string]origin // where each key (or key path, e.g. EXTRA_DATA[0].csv) was set
}

// Runtime says where pltv runs.
type Runtime string

const (
	RuntimeLocal Runtime = "local" // the embedded default: one machine, no account
	RuntimeCloud Runtime = "cloud" // Google Cloud
)

// ModelBackend says which model serves predictions.
type ModelBackend string

const (
	BackendLocal  ModelBackend = "local"  // the model trained in Go by `pltv train`
	BackendVertex ModelBackend = "vertex" // a Vertex AI endpoint
	BackendAutoML ModelBackend = "automl" // the legacy AutoML Tables API
)

// ModelMode says how predictions are requested.
type ModelMode string

const (
	ModeOnline ModelMode = "online" // batches of rows sent to a deployed model
	ModeBatch  ModelMode = "batch"  // one batch prediction job, then post-processing
)

// Cron is a five-field unix-cron schedule, as Cloud Scheduler takes it. Schedule runs in the configured
// TIMEZONE.
type Cron struct {
	Spec     string
	Schedule cron.Schedule
}

// ExtraData is one extra lookup table, the original's extra-data CSVs: the CSV (no header row) is loaded
// into BQ_LTV_DATASET as <Table>_<model_date> with Schema.
type ExtraData struct {
	Table  string
	CSV    string
	Schema warehouse.Schema
}

// IsCloud reports whether pltv runs on Google Cloud rather than on one machine.
func (c Config) IsCloud() bool { return c.Runtime == RuntimeCloud }

// CollectionName returns the Firestore (or embedded store) name of a tracking collection:
// <DEPLOYMENT_NAME>_<SOLUTION_PREFIX>_<collection>.
func (c Config) CollectionName(collection string) string {
	return c.DeploymentName + "_" + c.SolutionPrefix + "_" + collection
}

// JobPrefix returns the prefix of every BigQuery job id of the deployment,
// pltv_<DEPLOYMENT_NAME>_<SOLUTION_PREFIX> (see warehouse.NewJobID and, for Eventarc triggers,
// warehouse.JobPathPattern).
func (c Config) JobPrefix() string { return warehouse.JobPrefix(c.DeploymentName, c.SolutionPrefix) }

// SourceDataset returns the dataset the extract reads; its project is BQ_DATA_SOURCE_GCP_PROJECT, or
// BQ_LTV_GCP_PROJECT when that is empty.
func (c Config) SourceDataset() warehouse.Dataset {
	project := c.BQDataSourceGCPProject
	if project == "" {
		project = c.BQLTVGCPProject
	}
	return warehouse.Dataset{Project: project, Dataset: c.BQDataSourceDataSet}
}

// LTVDataset returns the dataset every table pltv writes goes to.
func (c Config) LTVDataset() warehouse.Dataset {
	return warehouse.Dataset{Project: c.BQLTVGCPProject, Dataset: c.BQLTVDataset}
}

// ModelAPIEndpoint returns the host:port of the model backend's API: MODEL_AUTOML_API_ENDPOINT when set,
// otherwise the regional endpoint of MODEL_REGION (empty for the local backend).
func (c Config) ModelAPIEndpoint() string {
	if c.ModelAutoMLAPIEndpoint != "" {
		return c.ModelAutoMLAPIEndpoint
	}
	switch c.ModelBackend {
	case BackendVertex:
		return c.ModelRegion + "-aiplatform.googleapis.com:443"
	case BackendAutoML:
		if c.ModelRegion == "eu" {
			return "eu-automl.googleapis.com:443"
		}
		return "automl.googleapis.com:443"
	}
	return ""
}
