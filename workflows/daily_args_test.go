package workflows_test

import (
	"testing"

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
