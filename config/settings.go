package config

import (
	"strconv"
	"time"
)

// Setting describes one key of the configuration file.
type Setting struct {
	Key     string // the YAML key, and the environment variable that overrides it
	Section string // the part of the file it belongs to, as in the original env.sh
	Default string // the default, as YAML text
	Meaning string // one or two sentences for the reader of SETTINGS.md
}

// Sections of the file, in order.
const (
	SectionGeneral       = "General"
	SectionDataSource    = "BigQuery data source"
	SectionLTV           = "BigQuery LTV"
	SectionModel         = "Model"
	SectionPolling       = "Polling & throttling"
	SectionTuning        = "Tuning"
	SectionCustomisation = "Customisation"
	SectionCustom        = "Custom variables"
)

type setting struct {
	Setting
	kind kind
}

// Settings returns every setting in file order. Default, Load and SETTINGS.md all come from this table.
func Settings() []Setting {
	out := make([]Setting, len(settings))
	for i, s := range settings {
		out[i] = s.Setting
	}
	return out
}

func lookupSetting(key string) (setting, bool) {
	for _, s := range settings {
		if s.Key == key {
			return s, true
		}
	}
	return setting{}, false
}

var settings = []setting{
	// General.
	{Setting{"DEPLOYMENT_NAME", SectionGeneral, "demo",
		"Names this deployment: the first part of every resource, collection and job label. " +
			"Lowercase letters, digits, '_' and '-', at most 63 characters."},
		text(func(c *Config) *string { return &c.DeploymentName }, required, collectionIDPart(true), labelValue)},
	{Setting{"SOLUTION_PREFIX", SectionGeneral, "pltv",
		"The second part of every resource and collection name, same rules as DEPLOYMENT_NAME."},
		text(func(c *Config) *string { return &c.SolutionPrefix }, required, collectionIDPart(false), labelValue)},
	{Setting{"SERVICE_ACCOUNT", SectionGeneral, "",
		"The service account every function runs as: an email address, or the id of an account for Pulumi to " +
			"create. Empty: Pulumi creates one account per function, each granted only what that function needs."},
		text(func(c *Config) *string { return &c.ServiceAccount }, serviceAccount)},
	{Setting{"DEFAULT_GCP_PROJECT", SectionGeneral, "",
		"The project of the services, workflows, schedulers and Firestore. Required when RUNTIME is cloud."},
		text(func(c *Config) *string { return &c.DefaultGCPProject }, project)},
	{Setting{"DEFAULT_GCP_REGION", SectionGeneral, "europe-west1",
		"The region of the services, workflows and schedulers."},
		text(func(c *Config) *string { return &c.DefaultGCPRegion }, required)},
	{Setting{"RUNTIME", SectionGeneral, "local",
		"`local`: everything on one machine with embedded parts (DuckDB, an embedded store, the local model). " +
			"`cloud`: Google Cloud."},
		enumKind[Runtime]{func(c *Config) *Runtime { return &c.Runtime }, []Runtime{RuntimeLocal, RuntimeCloud}}},

	// BigQuery data source.
	{Setting{"BQ_DATA_SOURCE_GCP_PROJECT", SectionDataSource, "",
		"The project of the source data. Empty: BQ_LTV_GCP_PROJECT."},
		text(func(c *Config) *string { return &c.BQDataSourceGCPProject }, project)},
	{Setting{"BQ_DATA_SOURCE_DATA_SET", SectionDataSource, "source",
		"The dataset of the source data (a GA360 export's dataset is its view id)."},
		text(func(c *Config) *string { return &c.BQDataSourceDataSet }, dataset)},
	{Setting{"BQ_DATA_SOURCE_TABLES", SectionDataSource, "transactions",
		"The source table, or the prefix of its date shards (e.g. ga_sessions for ga_sessions_YYYYMMDD)."},
		text(func(c *Config) *string { return &c.BQDataSourceTables }, required, sourceTables)},
	{Setting{"BQ_DATA_SOURCE_IS_SHARDED", SectionDataSource, "true",
		"Whether the source is date-sharded (<table>_YYYYMMDD) rather than one table."},
		boolKind{func(c *Config) *bool { return &c.BQDataSourceIsSharded }}},
	{Setting{"EXTRACT_LAG_DAYS", SectionDataSource, "1",
		"The data day of a run date: the run date minus this many days (0: the run date itself)."},
		intKind{func(c *Config) *int { return &c.ExtractLagDays }, 0, 0}},

	// BigQuery LTV.
	{Setting{"BQ_LTV_GCP_PROJECT", SectionLTV, "",
		"The project of the tables pltv writes and of the scheduled extract query. Required when RUNTIME is cloud."},
		text(func(c *Config) *string { return &c.BQLTVGCPProject }, project)},
	{Setting{"BQ_LTV_GCP_BROAD_REGION", SectionLTV, "EU",
		"The location of the LTV dataset and of the data transfer (EU, US or a region)."},
		text(func(c *Config) *string { return &c.BQLTVGCPBroadRegion }, required)},
	{Setting{"BQ_LTV_DATASET", SectionLTV, "pltv",
		"The dataset of every table pltv writes (all_daily_transactions_*, predictions_*, metadata, …)."},
		text(func(c *Config) *string { return &c.BQLTVDataset }, dataset)},

	// Model.
	{Setting{"MODEL_GCP_PROJECT", SectionModel, "",
		"The project of the model. Required when MODEL_BACKEND is vertex or automl."},
		text(func(c *Config) *string { return &c.ModelGCPProject }, project)},
	{Setting{"MODEL_REGION", SectionModel, "europe-west1",
		"The region of the model (AutoML Tables: eu or us-central1)."},
		text(func(c *Config) *string { return &c.ModelRegion })},
	{Setting{"MODEL_AUTOML_API_ENDPOINT", SectionModel, "",
		"The host:port of the model API. Empty: derived from MODEL_REGION " +
			"(<region>-aiplatform.googleapis.com:443 for vertex; eu-automl.googleapis.com:443 for automl in eu)."},
		text(func(c *Config) *string { return &c.ModelAutoMLAPIEndpoint })},
	{Setting{"MODEL_NEW_CLIENT_DAYS", SectionModel, "365",
		"The new-customer window: a customer is new on a date when they bought nothing in this many days before it."},
		intKind{func(c *Config) *int { return &c.ModelNewClientDays }, 1, 0}},
	{Setting{"MODEL_BURN_IN_DAYS", SectionModel, "60",
		"Training leaves out the first purchases of run dates whose new-customer window the data covers for fewer " +
			"than this many days: at the start of the data, customers who bought before it look new."},
		intKind{func(c *Config) *int { return &c.ModelBurnInDays }, 0, 0}},
	{Setting{"MODEL_BACKEND", SectionModel, "local",
		"`local`: the model `pltv train` builds; `vertex`: a Vertex AI endpoint; `automl`: the legacy AutoML Tables API."},
		enumKind[ModelBackend]{func(c *Config) *ModelBackend { return &c.ModelBackend },
			[]ModelBackend{BackendLocal, BackendVertex, BackendAutoML}}},
	{Setting{"MODEL_MODE", SectionModel, "online",
		"`online`: batches of rows sent to the deployed model; `batch`: one batch prediction job per date, then post-processing."},
		enumKind[ModelMode]{func(c *Config) *ModelMode { return &c.ModelMode }, []ModelMode{ModeOnline, ModeBatch}}},
	{Setting{"MODEL_ENDPOINT_ID", SectionModel, "",
		"The id of the Vertex AI endpoint the model is deployed to and predicts from (its own id, not the model's). " +
			"Required when MODEL_BACKEND is vertex."},
		text(func(c *Config) *string { return &c.ModelEndpointID })},
	{Setting{"MODEL_MACHINE_TYPE", SectionModel, "n1-standard-2",
		"The machine type of the dedicated resources a Vertex AI model is deployed on, and of its batch prediction " +
			"jobs, unless the model supports automatic resources."},
		text(func(c *Config) *string { return &c.ModelMachineType }, machineType)},
	{Setting{"MODEL_MIN_REPLICAS", SectionModel, "1",
		"The fewest replicas of a deployed Vertex AI model (and the batch prediction jobs' starting replica count)."},
		intKind{func(c *Config) *int { return &c.ModelMinReplicas }, 1, 0}},
	{Setting{"MODEL_MAX_REPLICAS", SectionModel, "1",
		"The most replicas of a deployed Vertex AI model (and of a batch prediction job); at least MODEL_MIN_REPLICAS."},
		intKind{func(c *Config) *int { return &c.ModelMaxReplicas }, 1, 0}},
	{Setting{"MODEL_DEPLOY_TIMEOUT_MINUTES", SectionModel, "30",
		"How long the daily workflow waits for the model to be deployed before it fails."},
		durationKind{func(c *Config) *time.Duration { return &c.ModelDeployTimeout }, time.Minute, 1}},

	// Polling & throttling.
	{Setting{"TIMEZONE", SectionPolling, "Europe/Madrid",
		"The IANA time zone of every schedule below."},
		zoneKind{}},
	{Setting{"MODEL_STOPPER_POLLER_CONFIG", SectionPolling, "0 */1 * * *",
		"Cron schedule of the model stopper, the safety net that undeploys an idle model."},
		cronKind{func(c *Config) *Cron { return &c.ModelStopperPoller }}},
	{Setting{"DATA_SOURCE_DAILY_TX_POLLER_CONFIG", SectionPolling, "17 6 * * *",
		"Cron schedule of the daily extract (the scheduled query): at most once a day, since every tick extracts " +
			"the day again, and best off the hour."},
		cronKind{func(c *Config) *Cron { return &c.DataSourceDailyTxPoller }}},
	{Setting{"LONG_RUNNING_TASKS_POLLER_CONFIG", SectionPolling, "*/2 * * * *",
		"Cron schedule of the poller that runs throttled and waiting tasks."},
		cronKind{func(c *Config) *Cron { return &c.LongRunningTasksPoller }}},
	{Setting{"DISCARD_TASKS_OLDER_THAN_HOURS", SectionPolling, "23",
		"How long a task may wait in the long_running_tasks queue before it is discarded."},
		durationKind{func(c *Config) *time.Duration { return &c.DiscardTasksOlderThan }, time.Hour, 1}},
	{Setting{"STOP_MODEL_WAITING_MINUTES", SectionPolling, "30",
		"Minutes without prediction activity after which the model is undeployed."},
		durationKind{func(c *Config) *time.Duration { return &c.StopModelWaiting }, time.Minute, 1}},

	// Tuning.
	{Setting{"MAX_TASKS_PER_POLL", SectionTuning, "10",
		"Queued tasks taken from the long_running_tasks collection on every poll."},
		intKind{func(c *Config) *int { return &c.MaxTasksPerPoll }, 1, 0}},
	{Setting{"DELAY_PREPARE_DAILY_IN_SECONDS", SectionTuning, "60",
		"Minimum delay of a queued prepare task (0: the next poll)."},
		durationKind{func(c *Config) *time.Duration { return &c.DelayPrepareDaily }, time.Second, 0}},
	{Setting{"DELAY_EXTRACT_NEW_CUSTOMERS_DAILY_IN_SECONDS", SectionTuning, "60",
		"Minimum delay of a queued new-customer filter task (0: the next poll)."},
		durationKind{func(c *Config) *time.Duration { return &c.DelayExtractNewCustomersDaily }, time.Second, 0}},
	{Setting{"DELAY_PREDICT_TRANSACTIONS_IN_SECONDS", SectionTuning, "60",
		"Minimum delay of a queued predict task (0: the next poll)."},
		durationKind{func(c *Config) *time.Duration { return &c.DelayPredictTransactions }, time.Second, 0}},
	{Setting{"MAX_PREDICTION_BATCH_SIZE", SectionTuning, "500",
		"Rows per prediction batch."},
		intKind{func(c *Config) *int { return &c.MaxPredictionBatchSize }, 1, 0}},
	{Setting{"PREDICT_CONCURRENCY", SectionTuning, "8",
		"Model calls in flight at once within one batch."},
		intKind{func(c *Config) *int { return &c.PredictConcurrency }, 1, 0}},
	{Setting{"PREDICT_BATCH_CONCURRENCY", SectionTuning, "4",
		"Batches predicted at once by the daily workflow (its parallel for's concurrency_limit), at most " +
			strconv.Itoa(MaxPredictBatchConcurrency) + ", the most the workflow runs at once."},
		intKind{func(c *Config) *int { return &c.PredictBatchConcurrency }, 1, MaxPredictBatchConcurrency}},

	// Customisation.
	{Setting{"HOOKS_DIR", SectionCustomisation, "",
		"A directory of SQL templates that replace the shipped ones of the same name. Empty: the shipped templates."},
		pathKind{func(c *Config) *string { return &c.HooksDir }, true}},
	{Setting{"FEATURES_CSV", SectionCustomisation, "",
		"The model's features (value,type; no header), loaded as training_data_features_<model_date>. " +
			"Empty: the shipped features, or those `pltv train` writes."},
		pathKind{func(c *Config) *string { return &c.FeaturesCSV }, false}},
	{Setting{"EXTRA_DATA", SectionCustomisation, "[]",
		"Extra lookup tables: a list of {table, csv, schema}; each CSV (no header) is loaded as " +
			"<table>_<model_date> with the schema in bq form (name:TYPE,name:TYPE)."},
		extraDataKind{}},

	// Custom variables.
	{Setting{"CUSTOM_VARIABLES", SectionCustom, "{}",
		"A free map of NAME: value that hooks read ({{var \"NAME\"}} in SQL templates). " +
			"CUSTOM_VARIABLES_<NAME> in the environment overrides one entry."},
		customKind{}},
}
