package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
)

func TestLoadReportsEveryProblemWithKeyAndLine(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		files map[string]string // other files next to pltv.yaml
		want  []string
	}{
		{
			name: "misspelt key",
			yaml: "MAX_TASK_PER_POLL: 10\n",
			want: []string{"pltv.yaml:1: MAX_TASK_PER_POLL: unknown setting; did you mean MAX_TASKS_PER_POLL?"},
		},
		{
			name: "lower-case key",
			yaml: "# comment\ndeployment_name: food\n",
			want: []string{"pltv.yaml:2: deployment_name: unknown setting; did you mean DEPLOYMENT_NAME?"},
		},
		{
			name: "custom variable at the top level, as env.sh had them",
			yaml: "BQ_LTV_TRAINING_DATA_PRICE_AVGS_TABLE: training_data_price_avgs\n",
			want: []string{"pltv.yaml:1: BQ_LTV_TRAINING_DATA_PRICE_AVGS_TABLE: unknown setting; custom variables go " +
				"under CUSTOM_VARIABLES, and every setting is listed in config/SETTINGS.md"},
		},
		{
			name: "duplicate key",
			yaml: "MAX_TASKS_PER_POLL: 10\nDEPLOYMENT_NAME: food\nMAX_TASKS_PER_POLL: 20\n",
			want: []string{"pltv.yaml:3: MAX_TASKS_PER_POLL: duplicate setting, first set at line 1"},
		},
		{
			name: "not a number",
			yaml: "MAX_TASKS_PER_POLL: ten\n",
			want: []string{`pltv.yaml:1: MAX_TASKS_PER_POLL: want a whole number, got "ten"`},
		},
		{
			name: "a fraction where a whole number of seconds goes",
			yaml: "DELAY_PREDICT_TRANSACTIONS_IN_SECONDS: 1.5\n",
			want: []string{`pltv.yaml:1: DELAY_PREDICT_TRANSACTIONS_IN_SECONDS: want a whole number, got "1.5"`},
		},
		{
			name: "a list where a number goes",
			yaml: "MAX_PREDICTION_BATCH_SIZE: [500]\n",
			want: []string{"pltv.yaml:1: MAX_PREDICTION_BATCH_SIZE: want a whole number, got a list"},
		},
		{
			name: "not a boolean",
			yaml: "BQ_DATA_SOURCE_IS_SHARDED: maybe\n",
			want: []string{`pltv.yaml:1: BQ_DATA_SOURCE_IS_SHARDED: want true or false, got "maybe"`},
		},
		{
			name: "a mapping where a string goes",
			yaml: "DEFAULT_GCP_PROJECT:\n  id: my-project\n",
			want: []string{"pltv.yaml:2: DEFAULT_GCP_PROJECT: want a string, got a mapping"},
		},
		{
			name: "cron with four fields",
			yaml: "MODEL_STOPPER_POLLER_CONFIG: '0 */1 * *'\n",
			want: []string{`pltv.yaml:1: MODEL_STOPPER_POLLER_CONFIG: invalid cron schedule "0 */1 * *": ` +
				`expected exactly 5 fields, found 4: [0 */1 * *]`},
		},
		{
			name: "cron field out of range",
			yaml: "\nLONG_RUNNING_TASKS_POLLER_CONFIG: '*/2 25 * * *'\n",
			want: []string{`pltv.yaml:2: LONG_RUNNING_TASKS_POLLER_CONFIG: invalid cron schedule "*/2 25 * * *": ` +
				`end of range (25) above maximum (23): 25`},
		},
		{
			name: "cron descriptor Cloud Scheduler does not take",
			yaml: "DATA_SOURCE_DAILY_TX_POLLER_CONFIG: '@hourly'\n",
			want: []string{`pltv.yaml:1: DATA_SOURCE_DAILY_TX_POLLER_CONFIG: invalid cron schedule "@hourly": want five ` +
				`unix-cron fields (minute hour day-of-month month day-of-week) as Cloud Scheduler takes them; TIMEZONE sets the zone`},
		},
		{
			name: "unknown time zone",
			yaml: "TIMEZONE: Europe/Madird\n",
			want: []string{`pltv.yaml:1: TIMEZONE: unknown time zone "Europe/Madird"`},
		},
		{
			name: "the machine's local zone",
			yaml: "TIMEZONE: Local\n",
			want: []string{`pltv.yaml:1: TIMEZONE: want an IANA time zone name such as Europe/Madrid, got "Local"`},
		},
		{
			name: "counts and delays out of range",
			yaml: "MAX_TASKS_PER_POLL: 0\nSTOP_MODEL_WAITING_MINUTES: -5\nEXTRACT_LAG_DAYS: -1\n" +
				"DELAY_PREPARE_DAILY_IN_SECONDS: -60\nDELAY_PREDICT_TRANSACTIONS_IN_SECONDS: 0\nPREDICT_BATCH_CONCURRENCY: 0\n",
			want: []string{
				"pltv.yaml:1: MAX_TASKS_PER_POLL: must be positive, got 0",
				"pltv.yaml:2: STOP_MODEL_WAITING_MINUTES: must be positive, got -5",
				"pltv.yaml:3: EXTRACT_LAG_DAYS: must not be negative, got -1",
				"pltv.yaml:4: DELAY_PREPARE_DAILY_IN_SECONDS: must not be negative, got -60",
				"pltv.yaml:6: PREDICT_BATCH_CONCURRENCY: must be positive, got 0",
			},
		},
		{
			name: "enums out of range",
			yaml: "RUNTIME: Local\nMODEL_BACKEND: sagemaker\nMODEL_MODE: streaming\n",
			want: []string{
				`pltv.yaml:1: RUNTIME: want one of local, cloud, got "Local"`,
				`pltv.yaml:2: MODEL_BACKEND: want one of local, vertex, automl, got "sagemaker"`,
				`pltv.yaml:3: MODEL_MODE: want one of online, batch, got "streaming"`,
			},
		},
		{
			name: "cloud without projects",
			yaml: "DEPLOYMENT_NAME: food\nRUNTIME: cloud\nMODEL_BACKEND: vertex\n",
			want: []string{
				"pltv.yaml: DEFAULT_GCP_PROJECT: required when RUNTIME is cloud (RUNTIME set at pltv.yaml:2)",
				"pltv.yaml: BQ_LTV_GCP_PROJECT: required when RUNTIME is cloud (RUNTIME set at pltv.yaml:2)",
				"pltv.yaml: MODEL_GCP_PROJECT: required when MODEL_BACKEND is vertex (MODEL_BACKEND set at pltv.yaml:3)",
				"pltv.yaml: MODEL_ENDPOINT_ID: required when MODEL_BACKEND is vertex (MODEL_BACKEND set at pltv.yaml:3): " +
					"the id of the Vertex AI endpoint the model is deployed to, not the model's id",
			},
		},
		{
			name: "AutoML Tables in the cloud",
			yaml: "RUNTIME: cloud\nDEFAULT_GCP_PROJECT: my-project\nBQ_LTV_GCP_PROJECT: my-project\n" +
				"MODEL_BACKEND: automl\nMODEL_GCP_PROJECT: my-project\n",
			want: []string{"pltv.yaml:4: MODEL_BACKEND: automl cannot run when RUNTIME is cloud: Google shut AutoML Tables " +
				"down on 2024-03-31; use vertex (RUNTIME set at pltv.yaml:1)"},
		},
		{
			name: "a model id for an endpoint id, and fewer replicas at most than at least",
			yaml: "MODEL_BACKEND: vertex\nMODEL_GCP_PROJECT: my-project\nMODEL_ENDPOINT_ID: projects/p/locations/l/models/1\n" +
				"MODEL_MIN_REPLICAS: 2\nMODEL_MAX_REPLICAS: 1\nMODEL_MACHINE_TYPE: big\n",
			want: []string{
				`pltv.yaml:3: MODEL_ENDPOINT_ID: "projects/p/locations/l/models/1" is not a Vertex AI endpoint id: want digits ` +
					`without a leading zero, or a lowercase name of letters, digits and '-' starting with a letter (at most 63)`,
				"pltv.yaml:5: MODEL_MAX_REPLICAS: must be at least MODEL_MIN_REPLICAS (2), got 1",
				`pltv.yaml:6: MODEL_MACHINE_TYPE: "big" is not a machine type: want a name like n1-standard-2`,
			},
		},
		{
			name: "an hourly extract",
			yaml: "DATA_SOURCE_DAILY_TX_POLLER_CONFIG: '0 */1 * * *'\n",
			want: []string{`pltv.yaml:1: DATA_SOURCE_DAILY_TX_POLLER_CONFIG: "0 */1 * * *" fires more than once a day ` +
				`(01:00 and 02:00): every tick starts the extract of the day again; schedule it once a day, off the hour (e.g. '17 6 * * *')`},
		},
		{
			name: "cloud with an empty project",
			yaml: "RUNTIME: cloud\nDEFAULT_GCP_PROJECT: ''\nBQ_LTV_GCP_PROJECT: customer-project\n",
			want: []string{"pltv.yaml:2: DEFAULT_GCP_PROJECT: required when RUNTIME is cloud (RUNTIME set at pltv.yaml:1)"},
		},
		{
			name: "a cloud model on the embedded runtime still needs its project",
			yaml: "MODEL_BACKEND: automl\n",
			want: []string{"pltv.yaml: MODEL_GCP_PROJECT: required when MODEL_BACKEND is automl (MODEL_BACKEND set at pltv.yaml:1)"},
		},
		{
			name: "malformed project ids",
			yaml: "DEFAULT_GCP_PROJECT: My_Project\nBQ_DATA_SOURCE_GCP_PROJECT: p1\n",
			want: []string{
				`pltv.yaml:1: DEFAULT_GCP_PROJECT: "My_Project" is not a Google Cloud project id: want 6 to 30 lowercase ` +
					`letters, digits and '-', starting with a letter and not ending with '-'`,
				`pltv.yaml:2: BQ_DATA_SOURCE_GCP_PROJECT: "p1" is not a Google Cloud project id: want 6 to 30 lowercase ` +
					`letters, digits and '-', starting with a letter and not ending with '-'`,
			},
		},
		{
			name: "deployment name with a slash",
			yaml: "DEPLOYMENT_NAME: food/eu\n",
			want: []string{`pltv.yaml:1: DEPLOYMENT_NAME: Firestore collection id rule: only letters, digits, '_' and '-' are allowed, found "/"`},
		},
		{
			name: "deployment name starting with two underscores",
			yaml: "DEPLOYMENT_NAME: __food\n",
			want: []string{"pltv.yaml:1: DEPLOYMENT_NAME: Firestore collection id rule: an id must not start with '__'"},
		},
		{
			name: "solution prefix in upper case",
			yaml: "SOLUTION_PREFIX: pLTV\n",
			want: []string{`pltv.yaml:1: SOLUTION_PREFIX: BigQuery label value rule: only lowercase letters, digits, '_' and '-' are allowed, found "L"`},
		},
		{
			name: "solution prefix too long for a label",
			yaml: "SOLUTION_PREFIX: " + strings.Repeat("p", 64) + "\n",
			want: []string{"pltv.yaml:1: SOLUTION_PREFIX: BigQuery label value rule: at most 63 characters, got 64"},
		},
		{
			name: "deployment name too long for a collection id",
			yaml: "DEPLOYMENT_NAME: " + strings.Repeat("d", 1500) + "\n",
			want: []string{
				"pltv.yaml:1: DEPLOYMENT_NAME: BigQuery label value rule: at most 63 characters, got 1500",
				"pltv.yaml:1: DEPLOYMENT_NAME: Firestore collection id rule: at most 1500 bytes, but the longest " +
					"collection id (<DEPLOYMENT_NAME>_<SOLUTION_PREFIX>_unitary_prediction_tracking_<predictions table>) would be 1559",
			},
		},
		{
			name: "empty deployment name",
			yaml: "DEPLOYMENT_NAME: ''\n",
			want: []string{"pltv.yaml:1: DEPLOYMENT_NAME: must not be empty"},
		},
		{
			name: "datasets and source table",
			yaml: "BQ_LTV_DATASET: ltv-ml\nBQ_DATA_SOURCE_DATA_SET: ''\nBQ_DATA_SOURCE_TABLES: src.ga_sessions\n",
			want: []string{
				`pltv.yaml:1: BQ_LTV_DATASET: "ltv-ml" is not a BigQuery dataset name: want letters, digits and '_'`,
				`pltv.yaml:2: BQ_DATA_SOURCE_DATA_SET: "" is not a BigQuery dataset name: want letters, digits and '_'`,
				`pltv.yaml:3: BQ_DATA_SOURCE_TABLES: "src.ga_sessions" is not a table name: found "." (the project and dataset have their own keys)`,
			},
		},
		{
			name: "service account",
			yaml: "SERVICE_ACCOUNT: pltv\n",
			want: []string{`pltv.yaml:1: SERVICE_ACCOUNT: "pltv" is not a service account id: want 6 to 30 lowercase ` +
				`letters, digits and '-', starting with a letter (or the account's full email address)`},
		},
		{
			name:  "paths that do not exist or are of the wrong kind",
			yaml:  "HOOKS_DIR: my-hooks\nFEATURES_CSV: data\n",
			files: map[string]string{"data/features.csv": "a,b\n"},
			want: []string{
				"pltv.yaml:1: HOOKS_DIR: my-hooks does not exist",
				"pltv.yaml:2: FEATURES_CSV: data is a directory, want a file",
			},
		},
		{
			name:  "extra data",
			files: map[string]string{"prices.csv": "cat1,g,1.5\n"},
			yaml: `EXTRA_DATA:
  - table: price_avgs
    csv: prices.csv
    schema: category:STRING,unit:STRING,ratio:FLOAT
  - table: price_avgs
    csv: missing.csv
    schema: category:STRING
  - table: 2prices
    csv: prices.csv
    schema: ratio:DECIMAL
  - tabel: x
    csv: prices.csv
    schema: a
  - just a string
`,
			want: []string{
				`pltv.yaml:10: EXTRA_DATA[2].schema: schema field "ratio": unknown column type "DECIMAL"`,
				"pltv.yaml:11: EXTRA_DATA[3].tabel: unknown field; did you mean table?",
				"pltv.yaml:11: EXTRA_DATA[3]: missing table",
				`pltv.yaml:14: EXTRA_DATA[4]: want a mapping with table, csv and schema, got "just a string"`,
			},
		},
		{
			name:  "extra data that parses but is not allowed",
			files: map[string]string{"prices.csv": "cat1,g,1.5\n"},
			yaml: `EXTRA_DATA:
  - table: price_avgs
    csv: prices.csv
    schema: category:STRING
  - table: price_avgs
    csv: missing.csv
    schema: category:STRING
  - table: 2prices
    csv: prices.csv
    schema: ratio:FLOAT
`,
			want: []string{
				`pltv.yaml:5: EXTRA_DATA[1].table: table "price_avgs" is already loaded by EXTRA_DATA[0]`,
				"pltv.yaml:6: EXTRA_DATA[1].csv: missing.csv does not exist",
				`pltv.yaml:8: EXTRA_DATA[2].table: "2prices" is not a table name: want letters, digits and '_', not starting with a digit`,
			},
		},
		{
			name: "extra data that is not a list",
			yaml: "EXTRA_DATA: prices.csv\n",
			want: []string{`pltv.yaml:1: EXTRA_DATA: want a list of {table, csv, schema}, got "prices.csv"`},
		},
		{
			name: "custom variables",
			yaml: "CUSTOM_VARIABLES:\n  TABLE: t\n  2ND: x\n  NESTED:\n    a: b\n  TABLE: u\n",
			want: []string{
				`pltv.yaml:3: CUSTOM_VARIABLES.2ND: "2ND" is not a variable name: want letters, digits and '_', not ` +
					`starting with a digit, so that the environment variable CUSTOM_VARIABLES_<NAME> can override it`,
				"pltv.yaml:5: CUSTOM_VARIABLES.NESTED: want a string, got a mapping",
				"pltv.yaml:6: CUSTOM_VARIABLES.TABLE: duplicate variable, first set at line 2",
			},
		},
		{
			name: "custom variables that are not a mapping",
			yaml: "CUSTOM_VARIABLES: [a, b]\n",
			want: []string{"pltv.yaml:1: CUSTOM_VARIABLES: want a mapping of NAME: value, got a list"},
		},
		{
			name: "invalid YAML",
			yaml: "DEPLOYMENT_NAME: food\nMAX_TASKS_PER_POLL: [10\n",
			want: []string{"pltv.yaml:2: invalid YAML: did not find expected ',' or ']'"},
		},
		{
			name: "invalid YAML opened on the first line, reported where the parser gives up",
			yaml: "MAX_TASKS_PER_POLL: [10\n",
			want: []string{"pltv.yaml:2: invalid YAML: did not find expected ',' or ']'"},
		},
		{
			name: "indentation error",
			yaml: "DEPLOYMENT_NAME: food\nSOLUTION_PREFIX: pltv\n  TIMEZONE: UTC\n",
			want: []string{"pltv.yaml:3: invalid YAML: mapping values are not allowed in this context"},
		},
		{
			name: "a list item among the keys",
			yaml: "DEPLOYMENT_NAME: food\n- SOLUTION_PREFIX: pltv\n",
			want: []string{"pltv.yaml:2: invalid YAML: did not find expected key"},
		},
		{
			name: "not a mapping",
			yaml: "- DEPLOYMENT_NAME: food\n",
			want: []string{"pltv.yaml:1: want a mapping of SETTING: value, got a list"},
		},
		{
			name: "every problem at once, top to bottom",
			yaml: "TIMEZONE: Mars/Olympus\nMAX_TASKS_PER_POLL: 0\nRUNTIME: cloud\nDEPLOYMENT_NAME: Food\nFOO: 1\n",
			want: []string{
				`pltv.yaml:1: TIMEZONE: unknown time zone "Mars/Olympus"`,
				"pltv.yaml:2: MAX_TASKS_PER_POLL: must be positive, got 0",
				`pltv.yaml:4: DEPLOYMENT_NAME: BigQuery label value rule: only lowercase letters, digits, '_' and '-' are allowed, found "F"`,
				"pltv.yaml:5: FOO: unknown setting; custom variables go under CUSTOM_VARIABLES, and every setting is listed in config/SETTINGS.md",
				"pltv.yaml: DEFAULT_GCP_PROJECT: required when RUNTIME is cloud (RUNTIME set at pltv.yaml:3)",
				"pltv.yaml: BQ_LTV_GCP_PROJECT: required when RUNTIME is cloud (RUNTIME set at pltv.yaml:3)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"pltv.yaml": tt.yaml}
			for name, content := range tt.files {
				files[name] = content
			}
			inDir(t, files)
			if diff := cmp.Diff(tt.want, messages(config.Check("pltv.yaml", nil))); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
			_, err := config.Load("pltv.yaml", nil)
			if err == nil {
				t.Fatal("Load succeeded on an invalid file")
			}
			if diff := cmp.Diff(strings.Join(tt.want, "\n"), err.Error()); diff != "" {
				t.Errorf("Load error (-want +got):\n%s", diff)
			}
			var p config.Problem
			if !errors.As(err, &p) {
				t.Errorf("errors.As(%v, *Problem) = false", err)
			}
		})
	}
}
