package config_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/warehouse"
)

func TestDefaultMatchesTheOriginalSamples(t *testing.T) {
	c := config.Default()
	if err := c.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	type view struct {
		Deployment, Prefix, Region, Runtime, Backend, Mode, Zone, Stopper, Extract, Poller string
		Dataset, SourceDataset, SourceTables                                               string
		Sharded                                                                            bool
		Lag, NewClientDays, MaxTasks, BatchSize, PredictConc, BatchConc                    int
		Discard, StopWait, DeployTimeout, DelayPrepare, DelayFilter, DelayPredict          time.Duration
	}
	got := view{
		c.DeploymentName, c.SolutionPrefix, c.DefaultGCPRegion, string(c.Runtime), string(c.ModelBackend),
		string(c.ModelMode), c.Timezone.String(), c.ModelStopperPoller.Spec, c.DataSourceDailyTxPoller.Spec,
		c.LongRunningTasksPoller.Spec,
		c.BQLTVDataset, c.BQDataSourceDataSet, c.BQDataSourceTables,
		c.BQDataSourceIsSharded,
		c.ExtractLagDays, c.ModelNewClientDays, c.MaxTasksPerPoll, c.MaxPredictionBatchSize, c.PredictConcurrency,
		c.PredictBatchConcurrency,
		c.DiscardTasksOlderThan, c.StopModelWaiting, c.ModelDeployTimeout, c.DelayPrepareDaily,
		c.DelayExtractNewCustomersDaily, c.DelayPredictTransactions,
	}
	want := view{
		"demo", "pltv", "europe-west1", "local", "local", "online", "Europe/Madrid", "0 */1 * * *", "17 6 * * *",
		"*/2 * * * *",
		"pltv", "source", "transactions",
		true,
		1, 365, 10, 500, 8, 4,
		23 * time.Hour, 30 * time.Minute, 30 * time.Minute, time.Minute, time.Minute, time.Minute,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Default() (-want +got):\n%s", diff)
	}
	if c.IsCloud() {
		t.Error("Default().IsCloud() = true, want the embedded runtime")
	}
}

func TestDefaultReturnsIndependentValues(t *testing.T) {
	a := config.Default()
	a.CustomVariables["X"] = "1"
	if b := config.Default(); len(b.CustomVariables) != 0 {
		t.Errorf("Default().CustomVariables = %v after changing another Default's map", b.CustomVariables)
	}
}

func TestNames(t *testing.T) {
	c := config.Default()
	c.DeploymentName, c.SolutionPrefix = "food", "pltv"
	c.BQLTVGCPProject, c.BQLTVDataset = "customer-project", "ltv_ml"
	c.BQDataSourceDataSet = "1234567"
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"collection", c.CollectionName("long_running_tasks"), "food_pltv_long_running_tasks"},
		{"LTV dataset", c.LTVDataset(), warehouse.Dataset{Project: "customer-project", Dataset: "ltv_ml"}},
		{"source dataset falls back to the LTV project", c.SourceDataset(),
			warehouse.Dataset{Project: "customer-project", Dataset: "1234567"}},
	}
	c.BQDataSourceGCPProject = "myclient-123456"
	tests = append(tests, struct {
		name string
		got  any
		want any
	}{"source dataset in its own project", c.SourceDataset(), warehouse.Dataset{Project: "myclient-123456", Dataset: "1234567"}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestModelAPIEndpoint(t *testing.T) {
	tests := []struct {
		name     string
		backend  config.ModelBackend
		region   string
		endpoint string
		want     string
	}{
		{"local has none", config.BackendLocal, "europe-west1", "", ""},
		{"vertex is regional", config.BackendVertex, "europe-west4", "", "europe-west4-aiplatform.googleapis.com:443"},
		{"automl in eu", config.BackendAutoML, "eu", "", "eu-automl.googleapis.com:443"},
		{"automl elsewhere", config.BackendAutoML, "us-central1", "", "automl.googleapis.com:443"},
		{"set explicitly", config.BackendVertex, "europe-west4", "localhost:8443", "localhost:8443"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config.Default()
			c.ModelBackend, c.ModelRegion, c.ModelAutoMLAPIEndpoint = tt.backend, tt.region, tt.endpoint
			if got := c.ModelAPIEndpoint(); got != tt.want {
				t.Errorf("ModelAPIEndpoint() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSettingsAreUniqueAndDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range config.Settings() {
		if seen[s.Key] {
			t.Errorf("setting %s listed twice", s.Key)
		}
		seen[s.Key] = true
		if s.Section == "" || s.Meaning == "" {
			t.Errorf("setting %s has no section or meaning", s.Key)
		}
	}
	for _, key := range originalKeys {
		if !seen[key] {
			t.Errorf("the original framework's %s is not a setting", key)
		}
	}
}

// originalKeys are the settings of the original framework's env.sh.
var originalKeys = []string{
	"DEPLOYMENT_NAME", "SOLUTION_PREFIX", "SERVICE_ACCOUNT", "DEFAULT_GCP_PROJECT", "DEFAULT_GCP_REGION",
	"BQ_DATA_SOURCE_GCP_PROJECT", "BQ_DATA_SOURCE_DATA_SET", "BQ_DATA_SOURCE_TABLES", "BQ_DATA_SOURCE_IS_SHARDED",
	"BQ_LTV_GCP_PROJECT", "BQ_LTV_GCP_BROAD_REGION", "BQ_LTV_DATASET", "MODEL_GCP_PROJECT", "MODEL_REGION",
	"MODEL_AUTOML_API_ENDPOINT", "MODEL_NEW_CLIENT_DAYS", "TIMEZONE", "MODEL_STOPPER_POLLER_CONFIG",
	"DATA_SOURCE_DAILY_TX_POLLER_CONFIG", "LONG_RUNNING_TASKS_POLLER_CONFIG", "DISCARD_TASKS_OLDER_THAN_HOURS",
	"STOP_MODEL_WAITING_MINUTES", "MAX_TASKS_PER_POLL", "DELAY_PREPARE_DAILY_IN_SECONDS",
	"DELAY_EXTRACT_NEW_CUSTOMERS_DAILY_IN_SECONDS", "DELAY_PREDICT_TRANSACTIONS_IN_SECONDS", "MAX_PREDICTION_BATCH_SIZE",
}
