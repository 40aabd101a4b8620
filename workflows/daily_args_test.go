package workflows_test

import (
	"maps"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"

	"github.com/pltv/pltv/workflows"
	"github.com/pltv/pltv/workflows/engine"
)

func TestDailyRefusesBadArguments(t *testing.T) {
	const want = `daily: want the argument {"date": "YYYYMMDD"} or the CloudEvent of a finished BigQuery job labelled pltv_date`
	for _, tc := range []struct {
		name    string
		arg     any
		env     map[string]string
		wantErr string
	}{
		{name: "a date that does not exist", arg: map[string]any{"date": "20210230"},
			wantErr: `daily: the date "20210230" is not a real date written YYYYMMDD`},
		{name: "a date with dashes", arg: map[string]any{"date": "2021-02-03"},
			wantErr: `daily: the date "2021-02-03" is not a real date written YYYYMMDD`},
		{name: "a date too long", arg: map[string]any{"date": "202102031"},
			wantErr: `daily: the date "202102031" is not a real date written YYYYMMDD`},
		{name: "a date as a number", arg: map[string]any{"date": 20210203},
			wantErr: `daily: the date 20210203 is not a real date written YYYYMMDD`},
		{name: "no date", arg: map[string]any{"from": "20210203"}, wantErr: want},
		{name: "a bare string", arg: "20210203", wantErr: want},
		{name: "no argument", arg: nil, wantErr: want},
		{name: "no predict service", arg: map[string]any{"date": date}, env: map[string]string{"PREDICT_URL": ""},
			wantErr: "daily: PREDICT_URL and MODEL_URL must be set in the workflow's environment"},
		{name: "a setting left out of the environment", arg: map[string]any{"date": date}, env: map[string]string{"STOP_MODEL_WAITING_MINUTES": ""},
			wantErr: "daily: MODEL_MODE, PREDICT_BATCH_CONCURRENCY, STOP_MODEL_WAITING_MINUTES and MODEL_DEPLOY_TIMEOUT_MINUTES must be set " +
				"in the workflow's environment, from the deployment's configuration"},
		{name: "an unknown model mode", arg: map[string]any{"date": date}, env: map[string]string{"MODEL_MODE": "streaming"},
			wantErr: `daily: MODEL_MODE must be online or batch, got "streaming"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := engine.NewFakeClock(start)
			s := newServices(t, clock, 1, "deployed")
			o := execute(t, workflows.Daily, clock, tc.arg, dailyEnv(s, tc.env))
			if o.err == nil {
				t.Fatalf("execution succeeded with %v, want an error", o.result)
			}
			if msg, _ := failure(t, o.err); msg != tc.wantErr {
				t.Errorf("error %q, want %q", msg, tc.wantErr)
			}
			if len(s.calls) != 0 || len(s.batchCalls) != 0 {
				t.Errorf("services were called: %v", s.calls)
			}
		})
	}
}

// TestDailyReadsTheConfiguration checks that the environment daily.yaml reads is the services' URLs and
// what config.Config.WorkflowEnv gives, the settings the functions read from the same configuration.
func TestDailyReadsTheConfiguration(t *testing.T) {
	src, err := workflows.Source(workflows.Daily)
	if err != nil {
		t.Fatal(err)
	}
	var read []string
	for _, m := range regexp.MustCompile(`sys\.get_env\("([A-Z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		read = append(read, m[1])
	}
	want := slices.Collect(maps.Keys(config.Default().WorkflowEnv()))
	want = append(want, "PREDICT_URL", "MODEL_URL")
	slices.Sort(want)
	slices.Sort(read)
	if diff := cmp.Diff(want, slices.Compact(read)); diff != "" {
		t.Errorf("the environment daily.yaml reads (-config.WorkflowEnv and the URLs +daily.yaml):\n%s", diff)
	}
}
