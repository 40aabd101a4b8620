package config_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/warehouse"
)

func TestEnvironmentOverridesTheFile(t *testing.T) {
	file := `MAX_TASKS_PER_POLL: 10
TIMEZONE: Europe/Madrid
CUSTOM_VARIABLES:
  TABLE: from_file
  OTHER: kept
`
	tests := []struct {
		name string
		env  env
		want func(*config.Config)
	}{
		{name: "no environment", env: nil, want: func(*config.Config) {}},
		{name: "a number", env: env{"MAX_TASKS_PER_POLL": "25"},
			want: func(c *config.Config) { c.MaxTasksPerPoll = 25 }},
		{name: "a duration in the key's unit", env: env{"DISCARD_TASKS_OLDER_THAN_HOURS": "12"},
			want: func(c *config.Config) { c.DiscardTasksOlderThan = 12 * time.Hour }},
		{name: "a boolean", env: env{"BQ_DATA_SOURCE_IS_SHARDED": "False"},
			want: func(c *config.Config) { c.BQDataSourceIsSharded = false }},
		{name: "a cron schedule, which is no valid YAML", env: env{"LONG_RUNNING_TASKS_POLLER_CONFIG": "*/10 * * * *"},
			want: func(c *config.Config) { c.LongRunningTasksPoller = config.Cron{Spec: "*/10 * * * *", Schedule: nonNil} }},
		{name: "a time zone", env: env{"TIMEZONE": "UTC"},
			want: func(c *config.Config) { c.Timezone = time.UTC }},
		{name: "cloud with its projects", env: env{"RUNTIME": "cloud", "DEFAULT_GCP_PROJECT": "my-project",
			"BQ_LTV_GCP_PROJECT": "my-project"},
			want: func(c *config.Config) {
				c.Runtime, c.DefaultGCPProject, c.BQLTVGCPProject = config.RuntimeCloud, "my-project", "my-project"
			}},
		{name: "an empty string clears a string", env: env{"BQ_LTV_GCP_BROAD_REGION": "US", "MODEL_REGION": ""},
			want: func(c *config.Config) { c.BQLTVGCPBroadRegion, c.ModelRegion = "US", "" }},
		{name: "one custom variable", env: env{"CUSTOM_VARIABLES_TABLE": "from_env"},
			want: func(c *config.Config) { c.CustomVariables = map[string]string{"TABLE": "from_env", "OTHER": "kept"} }},
		{name: "custom variables as YAML are merged, then one is overridden",
			env: env{"CUSTOM_VARIABLES": "{NEW: n, TABLE: yaml}", "CUSTOM_VARIABLES_NEW": "env"},
			want: func(c *config.Config) {
				c.CustomVariables = map[string]string{"TABLE": "yaml", "OTHER": "kept", "NEW": "env"}
			}},
		{name: "extra data as YAML, its paths as given",
			env: env{"EXTRA_DATA": `[{table: prices, csv: data/prices.csv, schema: "category:STRING,ratio:FLOAT"}]`},
			want: func(c *config.Config) {
				c.ExtraData = []config.ExtraData{{Table: "prices", CSV: filepath.Join("data", "prices.csv"),
					Schema: warehouse.Schema{{Name: "category", Type: warehouse.String}, {Name: "ratio", Type: warehouse.Float}}}}
			}},
		{name: "an empty list setting is the empty list", env: env{"EXTRA_DATA": ""},
			want: func(*config.Config) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inDir(t, map[string]string{"pltv.yaml": file, "data/prices.csv": "a,1\n"})
			got, err := config.Load("pltv.yaml", tt.env.lookup)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			want := config.Default()
			want.CustomVariables = map[string]string{"TABLE": "from_file", "OTHER": "kept"}
			tt.want(&want)
			if diff := cmp.Diff(want, got, cmpConfig); diff != "" {
				t.Errorf("Load (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEnvironmentWithoutAFile(t *testing.T) {
	inDir(t, nil)
	got, err := config.Load("", env{"DEPLOYMENT_NAME": "food", "EXTRACT_LAG_DAYS": "0"}.lookup)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got.DeploymentName != "food" || got.ExtractLagDays != 0 {
		t.Errorf("Load = DEPLOYMENT_NAME %q, EXTRACT_LAG_DAYS %d; want food, 0", got.DeploymentName, got.ExtractLagDays)
	}
}

func TestEnvironmentProblems(t *testing.T) {
	tests := []struct {
		name string
		file string
		env  env
		want []string
	}{
		{
			name: "wrong values",
			env: env{"MAX_TASKS_PER_POLL": "lots", "TIMEZONE": "Mars/Olympus", "RUNTIME": "Cloud",
				"STOP_MODEL_WAITING_MINUTES": "0", "MODEL_STOPPER_POLLER_CONFIG": "every hour"},
			want: []string{
				`env RUNTIME: want one of local, cloud, got "Cloud"`,
				`env TIMEZONE: unknown time zone "Mars/Olympus"`,
				`env MODEL_STOPPER_POLLER_CONFIG: invalid cron schedule "every hour": expected exactly 5 fields, found 2: [every hour]`,
				"env STOP_MODEL_WAITING_MINUTES: must be positive, got 0",
				`env MAX_TASKS_PER_POLL: want a whole number, got "lots"`,
			},
		},
		{
			name: "YAML that does not parse",
			env:  env{"EXTRA_DATA": "[{table: t"},
			want: []string{"env EXTRA_DATA: invalid YAML: did not find expected ',' or '}'"},
		},
		{
			name: "YAML of the wrong shape",
			env:  env{"CUSTOM_VARIABLES": "[a, b]", "EXTRA_DATA": "[{table: t, csv: x.csv}]"},
			want: []string{
				"env EXTRA_DATA[0]: missing schema",
				"env CUSTOM_VARIABLES: want a mapping of NAME: value, got a list",
			},
		},
		{
			name: "a problem in the file and one in the environment",
			file: "MAX_TASKS_PER_POLL: 0\n",
			env:  env{"RUNTIME": "cloud", "DEFAULT_GCP_PROJECT": "my-project", "BQ_LTV_GCP_PROJECT": "x"},
			want: []string{
				"pltv.yaml:1: MAX_TASKS_PER_POLL: must be positive, got 0",
				`env BQ_LTV_GCP_PROJECT: "x" is not a Google Cloud project id: want 6 to 30 lowercase letters, ` +
					`digits and '-', starting with a letter and not ending with '-'`,
			},
		},
		{
			name: "cloud set in the environment, projects missing from the file",
			file: "DEPLOYMENT_NAME: food\n",
			env:  env{"RUNTIME": "cloud", "DEFAULT_GCP_PROJECT": "my-project"},
			want: []string{
				"pltv.yaml: BQ_LTV_GCP_PROJECT: required when RUNTIME is cloud (RUNTIME set in the environment)",
			},
		},
		{
			name: "the environment fixes the file",
			file: "MAX_TASKS_PER_POLL: 0\n",
			env:  env{"MAX_TASKS_PER_POLL": "5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			if tt.file != "" {
				files["pltv.yaml"] = tt.file
			}
			inDir(t, files)
			if diff := cmp.Diff(tt.want, messages(config.Check("", tt.env.lookup))); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}
