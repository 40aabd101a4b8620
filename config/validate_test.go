package config_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/warehouse"
)

func TestValidateAConfigChangedByCode(t *testing.T) {
	tests := []struct {
		name   string
		change func(*config.Config)
		want   string
	}{
		{"unchanged", func(*config.Config) {}, ""},
		{"batch size", func(c *config.Config) { c.MaxPredictionBatchSize = 0 },
			"MAX_PREDICTION_BATCH_SIZE: must be positive, got 0"},
		{"more batches at once than the daily workflow runs", func(c *config.Config) { c.PredictBatchConcurrency = 21 },
			"PREDICT_BATCH_CONCURRENCY: must be at most 20, got 21"},
		{"enum", func(c *config.Config) { c.ModelMode = "stream" },
			`MODEL_MODE: want one of online, batch, got "stream"`},
		{"cron", func(c *config.Config) { c.ModelStopperPoller = config.Cron{Spec: "hourly"} },
			`MODEL_STOPPER_POLLER_CONFIG: invalid cron schedule "hourly": expected exactly 5 fields, found 1: [hourly]`},
		{"no time zone", func(c *config.Config) { c.Timezone = nil }, "TIMEZONE: no time zone set"},
		{"cloud", func(c *config.Config) { c.Runtime = config.RuntimeCloud; c.DefaultGCPProject = "my-project" },
			"BQ_LTV_GCP_PROJECT: required when RUNTIME is cloud (RUNTIME set by default)"},
		{"extra data built by code", func(c *config.Config) {
			c.ExtraData = []config.ExtraData{{Table: "t", CSV: "", Schema: nil}}
		}, "EXTRA_DATA[0].csv: empty path\nEXTRA_DATA[0].schema: empty schema"},
		{"custom variable name", func(c *config.Config) { c.CustomVariables["A-B"] = "x" },
			`CUSTOM_VARIABLES.A-B: "A-B" is not a variable name: want letters, digits and '_', not starting with a digit, ` +
				`so that the environment variable CUSTOM_VARIABLES_<NAME> can override it`},
		{"valid extra data", func(c *config.Config) {
			c.ExtraData = []config.ExtraData{{Table: "t", CSV: "testdata/full/price_avgs.csv",
				Schema: warehouse.Schema{{Name: "a", Type: warehouse.String}}}}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config.Default()
			tt.change(&c)
			got := ""
			if err := c.Validate(); err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateKeepsTheLinesOfALoadedConfig(t *testing.T) {
	inDir(t, map[string]string{"pltv.yaml": "DEPLOYMENT_NAME: food\nMAX_TASKS_PER_POLL: 10\n"})
	c, err := config.Load("pltv.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.MaxTasksPerPoll = -1
	c.PredictConcurrency = 0
	want := "pltv.yaml:2: MAX_TASKS_PER_POLL: must be positive, got -1\n" +
		"pltv.yaml: PREDICT_CONCURRENCY: must be positive, got 0"
	if diff := cmp.Diff(want, c.Validate().Error()); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
}
