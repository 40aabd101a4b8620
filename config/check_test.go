package config_test

import (
	"bytes"
	"errors"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
)

func TestRunCheck(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		path    string
		env     env
		want    string
		wantErr string
	}{
		{
			name: "no file",
			want: "ok: no pltv.yaml, defaults, 0 from the environment; RUNTIME local, MODEL_BACKEND local, " +
				"MODEL_MODE online, collections demo_pltv_*, LTV dataset pltv\n",
		},
		{
			name:  "a file and the environment",
			files: map[string]string{"conf/pltv.yaml": "DEPLOYMENT_NAME: food\nRUNTIME: cloud\nDEFAULT_GCP_PROJECT: my-project\n"},
			path:  "conf/pltv.yaml",
			env:   env{"BQ_LTV_GCP_PROJECT": "customer-project", "MODEL_BACKEND": "vertex", "MODEL_GCP_PROJECT": "model-project", "MODEL_ENDPOINT_ID": "4242"},
			want: "ok: conf/pltv.yaml: 3 of 43 settings from the file, 4 from the environment; RUNTIME cloud, " +
				"MODEL_BACKEND vertex, MODEL_MODE online, collections food_pltv_*, LTV dataset customer-project.pltv\n",
		},
		{
			name:    "problems, one a line",
			files:   map[string]string{"pltv.yaml": "MAX_TASKS_PER_POLL: 0\nTIMEZONE: Nowhere\n"},
			path:    "pltv.yaml",
			want:    "pltv.yaml:1: MAX_TASKS_PER_POLL: must be positive, got 0\npltv.yaml:2: TIMEZONE: unknown time zone \"Nowhere\"\n",
			wantErr: "config check: 2 problems",
		},
		{
			name:    "one problem",
			files:   map[string]string{"pltv.yaml": "FOO: 1\n"},
			path:    "pltv.yaml",
			want:    "pltv.yaml:1: FOO: unknown setting; custom variables go under CUSTOM_VARIABLES, and every setting is listed in config/SETTINGS.md\n",
			wantErr: "config check: 1 problem",
		},
		{
			name:    "an explicit file that is missing",
			path:    "missing.yaml",
			wantErr: "read config: open missing.yaml: no such file or directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inDir(t, tt.files)
			var out bytes.Buffer
			err := config.RunCheck(&out, tt.path, tt.env.lookup)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
				t.Errorf("RunCheck error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("RunCheck output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckAMissingFileIsOneProblem(t *testing.T) {
	inDir(t, nil)
	got := messages(config.Check("missing.yaml", nil))
	want := []string{"read config: open missing.yaml: no such file or directory"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
	if _, err := config.Load("missing.yaml", nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load error = %v, want fs.ErrNotExist", err)
	}
}
