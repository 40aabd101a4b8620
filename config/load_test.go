package config_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/warehouse"
)

func TestLoadEverySetting(t *testing.T) {
	got, err := config.Load(filepath.Join("testdata", "full", "pltv.yaml"), nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "full")
	want := config.Config{
		DeploymentName:                "food",
		SolutionPrefix:                "pltv-eu",
		ServiceAccount:                "1234567-compute@developer.gserviceaccount.com",
		DefaultGCPProject:             "my-google-project",
		DefaultGCPRegion:              "europe-west4",
		Runtime:                       config.RuntimeCloud,
		BQDataSourceGCPProject:        "myclient-123456",
		BQDataSourceDataSet:           "1234567",
		BQDataSourceTables:            "ga_sessions",
		BQDataSourceIsSharded:         false,
		ExtractLagDays:                2,
		BQLTVGCPProject:               "customer-project",
		BQLTVGCPBroadRegion:           "US",
		BQLTVDataset:                  "ltv_ml",
		ModelGCPProject:               "my-model-project",
		ModelRegion:                   "europe-west4",
		ModelAutoMLAPIEndpoint:        "europe-west4-aiplatform.googleapis.com:443",
		ModelNewClientDays:            180,
		ModelBurnInDays:               30,
		ModelBackend:                  config.BackendVertex,
		ModelMode:                     config.ModeBatch,
		ModelEndpointID:               "123456789",
		ModelMachineType:              "n1-highmem-4",
		ModelMinReplicas:              2,
		ModelMaxReplicas:              3,
		ModelDeployTimeout:            45 * time.Minute,
		Timezone:                      newYork,
		ModelStopperPoller:            config.Cron{Spec: "30 */2 * * *", Schedule: nonNil},
		DataSourceDailyTxPoller:       config.Cron{Spec: "0 6 * * *", Schedule: nonNil},
		LongRunningTasksPoller:        config.Cron{Spec: "*/5 * * * *", Schedule: nonNil},
		DiscardTasksOlderThan:         24 * time.Hour,
		StopModelWaiting:              15 * time.Minute,
		MaxTasksPerPoll:               20,
		DelayPrepareDaily:             0,
		DelayExtractNewCustomersDaily: 90 * time.Second,
		DelayPredictTransactions:      2 * time.Minute,
		MaxPredictionBatchSize:        1000,
		PredictConcurrency:            16,
		PredictBatchConcurrency:       2,
		HooksDir:                      filepath.Join(dir, "sql"),
		FeaturesCSV:                   filepath.Join(dir, "features.csv"),
		ExtraData: []config.ExtraData{{
			Table: "training_data_price_avgs",
			CSV:   filepath.Join(dir, "price_avgs.csv"),
			Schema: warehouse.Schema{
				{Name: "category", Type: warehouse.String},
				{Name: "variantUnits", Type: warehouse.String},
				{Name: "productPriceQuantityRatio", Type: warehouse.Float},
			},
		}},
		CustomVariables: map[string]string{
			"BQ_LTV_TRAINING_DATA_PRICE_AVGS_TABLE": "training_data_price_avgs",
			"MIN_ORDERS":                            "2",
		},
	}
	if diff := cmp.Diff(want, got, cmpConfig); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}
}

// nonNil stands for "some parsed schedule" in a wanted Config; cmpConfig compares only its presence.
var nonNil = config.Default().ModelStopperPoller.Schedule

func TestSchedulesRunInTimezone(t *testing.T) {
	inDir(t, map[string]string{"pltv.yaml": "TIMEZONE: Asia/Tokyo\nDATA_SOURCE_DAILY_TX_POLLER_CONFIG: '0 6 * * *'\n"})
	c, err := config.Load("pltv.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Date(2020, 7, 1, 0, 0, 0, 0, time.UTC) // 09:00 in Tokyo
	want := time.Date(2020, 7, 1, 21, 0, 0, 0, time.UTC) // 06:00 the next day in Tokyo
	if got := c.DataSourceDailyTxPoller.Next(after); !got.Equal(want) {
		t.Errorf("Next(%v) = %v, want %v", after, got.UTC(), want)
	}
	madrid := config.Default().ModelStopperPoller.Next(time.Date(2020, 1, 1, 10, 30, 0, 0, time.UTC))
	if want := time.Date(2020, 1, 1, 11, 0, 0, 0, time.UTC); !madrid.Equal(want) { // 12:00 in Madrid
		t.Errorf("default stopper Next = %v, want %v", madrid.UTC(), want)
	}
}

func TestLoadFiles(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		path    string
		want    func(*config.Config)
		wantErr error
	}{
		{name: "no file at the default path: defaults", path: "", want: func(*config.Config) {}},
		{name: "the default path is read", path: "", files: map[string]string{"pltv.yaml": "MAX_TASKS_PER_POLL: 3\n"},
			want: func(c *config.Config) { c.MaxTasksPerPoll = 3 }},
		{name: "an explicit file must exist", path: "other.yaml", wantErr: fs.ErrNotExist},
		{name: "an empty file: defaults", path: "pltv.yaml", files: map[string]string{"pltv.yaml": "# nothing\n"},
			want: func(*config.Config) {}},
		{name: "a key with no value keeps its default", path: "pltv.yaml",
			files: map[string]string{"pltv.yaml": "DEPLOYMENT_NAME:\nBQ_LTV_DATASET: ~\n"},
			want:  func(*config.Config) {}},
		{name: "quoted numbers, as the original env.sh wrote them", path: "pltv.yaml",
			files: map[string]string{"pltv.yaml": "MODEL_NEW_CLIENT_DAYS: '365'\nSTOP_MODEL_WAITING_MINUTES: \"45\"\n"},
			want:  func(c *config.Config) { c.StopModelWaiting = 45 * time.Minute }},
		{name: "anchors and aliases", path: "pltv.yaml",
			files: map[string]string{"pltv.yaml": "DEFAULT_GCP_PROJECT: &p my-project\nBQ_LTV_GCP_PROJECT: *p\n"},
			want:  func(c *config.Config) { c.DefaultGCPProject, c.BQLTVGCPProject = "my-project", "my-project" }},
		{name: "an absolute path stays", path: "pltv.yaml",
			files: map[string]string{"pltv.yaml": "HOOKS_DIR: /\n"},
			want:  func(c *config.Config) { c.HooksDir = "/" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inDir(t, tt.files)
			got, err := config.Load(tt.path, nil)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Load(%q) error = %v, want %v", tt.path, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load(%q): %v", tt.path, err)
			}
			want := config.Default()
			tt.want(&want)
			if diff := cmp.Diff(want, got, cmpConfig); diff != "" {
				t.Errorf("Load(%q) (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	path := filepath.Join("testdata", "full", "pltv.yaml")
	for b.Loop() {
		if _, err := config.Load(path, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDefault(b *testing.B) {
	for b.Loop() {
		config.Default()
	}
}
