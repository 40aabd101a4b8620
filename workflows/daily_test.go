package workflows_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows"
	"github.com/pltv/pltv/workflows/engine"
)

const date = "20200701"

// summary is the daily workflow's result for date in online mode, as the fake services answer.
func summary(batches, predicted, failed int64, modelState any, stopped bool) map[string]any {
	return map[string]any{
		"date": date, "mode": "online", "model": "model_20200601", "batches": batches, "rows": batches * 101,
		"predicted": predicted, "failed": failed, "table": "pltv.predictions_" + date,
		"model_state": modelState, "stopped": stopped,
	}
}

var (
	onlineCalls = []string{"predict plan", "model deploy", "predict finish", "model stop", "predict complete"}
	oneBatch    = summary(1, 100, 1, "undeployed", true)
)

type dailyCase struct {
	name    string
	arg     any
	env     map[string]string
	batches int
	states  []string // the model's answers to deploy and state, in turn
	script  func(*services)

	want      any      // the result, when the execution succeeds
	wantErr   []string // parts of the error message, when it fails
	wantStep  string   // the step the error names
	wantCalls []string // service calls but batch ones, in order
	check     func(t *testing.T, s *services, o outcome)
}

func TestDaily(t *testing.T) {
	for _, tc := range []dailyCase{
		{
			name: "one batch, the model already deployed", arg: map[string]any{"date": date}, batches: 1, states: []string{"deployed"},
			want: oneBatch, wantCalls: onlineCalls,
			check: func(t *testing.T, s *services, o outcome) {
				if diff := cmp.Diff(map[int]int{0: 1}, s.batchCalls); diff != "" {
					t.Errorf("batch requests (-want +got):\n%s", diff)
				}
				if s.finished != 1 {
					t.Errorf("finish was told %d batches, want 1", s.finished)
				}
				if waited := s.at["stop"].Sub(s.at["finish"]); waited != 30*time.Minute {
					t.Errorf("stop came %v after finish, want STOP_MODEL_WAITING_MINUTES (30m)", waited)
				}
			},
		},
		{
			name: "twenty batches, four at a time", arg: map[string]any{"date": date}, batches: 20, states: []string{"deployed"},
			script: func(s *services) { s.heldUntil = 4 },
			want:   summary(20, 2000, 20, "undeployed", true), wantCalls: onlineCalls,
			check: func(t *testing.T, s *services, o outcome) {
				want := map[int]int{}
				for b := range 20 {
					want[b] = 1
				}
				if diff := cmp.Diff(want, s.batchCalls); diff != "" {
					t.Errorf("batch requests (-want +got):\n%s", diff)
				}
				if s.maxInFlight != 4 {
					t.Errorf("%d batches were in flight at most, want PREDICT_BATCH_CONCURRENCY (4)", s.maxInFlight)
				}
				if s.finished != 20 {
					t.Errorf("finish was told %d batches, want 20", s.finished)
				}
			},
		},
		{
			name: "one lane when the concurrency is one", arg: map[string]any{"date": date}, batches: 5, states: []string{"deployed"},
			env:  map[string]string{"PREDICT_BATCH_CONCURRENCY": "1"},
			want: summary(5, 500, 5, "undeployed", true), wantCalls: onlineCalls,
			check: func(t *testing.T, s *services, o outcome) {
				if s.maxInFlight != 1 || len(s.batchCalls) != 5 {
					t.Errorf("%d batches predicted, %d at most in flight; want 5, one at a time", len(s.batchCalls), s.maxInFlight)
				}
			},
		},
		{
			name: "no new customers: nothing deployed, the date still finished and completed", arg: map[string]any{"date": date},
			want:      summary(0, 0, 0, nil, false),
			wantCalls: []string{"predict plan", "predict finish", "predict complete"},
		},
		{
			name: "deploying, deploying, deployed", arg: map[string]any{"date": date}, batches: 1,
			states: []string{"deploying", "deploying", "deployed"},
			want:   oneBatch,
			wantCalls: []string{"predict plan", "model deploy", "model state", "model state", "predict finish",
				"model stop", "predict complete"},
			check: func(t *testing.T, s *services, o outcome) {
				if waited := s.at["state"].Sub(s.at["deploy"]); waited != 25*time.Second {
					t.Errorf("the last poll came %v after deploy, want 10s + 15s", waited)
				}
			},
		},
		{
			name: "a model stopped while deploying is deployed again", arg: map[string]any{"date": date}, batches: 1,
			states: []string{"deploying", "undeployed", "deploying", "deployed"},
			want:   oneBatch,
			wantCalls: []string{"predict plan", "model deploy", "model state", "model deploy", "model state",
				"predict finish", "model stop", "predict complete"},
		},
		{
			name: "a deployment that fails once is started again", arg: map[string]any{"date": date}, batches: 1,
			states: []string{"deploying", "failed", "deploying", "deployed"},
			want:   oneBatch,
			wantCalls: []string{"predict plan", "model deploy", "model state", "model deploy", "model state",
				"predict finish", "model stop", "predict complete"},
		},
		{
			name: "a deployment that fails twice raises", arg: map[string]any{"date": date}, batches: 1,
			states:    []string{"deploying", "failed"},
			wantErr:   []string{"daily 20200701", "step checkModel", "failed to deploy", "quota exceeded"},
			wantStep:  "checkModel",
			wantCalls: []string{"predict plan", "model deploy", "model state", "model deploy"},
		},
		{
			name: "a model that never deploys raises at the deadline", arg: map[string]any{"date": date}, batches: 1,
			env:      map[string]string{"MODEL_DEPLOY_TIMEOUT_MINUTES": "5"},
			states:   []string{"deploying"},
			wantErr:  []string{"daily 20200701", "step checkModel", `still "deploying" after 5 minutes`},
			wantStep: "checkModel",
			check: func(t *testing.T, s *services, o outcome) {
				if waited := s.clock.Now().Sub(s.at["deploy"]); waited < 5*time.Minute || waited > 5*time.Minute+time.Second {
					t.Errorf("gave up %v after deploy, want MODEL_DEPLOY_TIMEOUT_MINUTES (5m)", waited)
				}
				// 10, 15, 22.5, 33.75, 50.6, 60, 60, then what is left of the 5 minutes.
				if polls := strings.Count(strings.Join(s.calls, ","), "model state"); polls != 8 {
					t.Errorf("%d polls, want 8: %v", polls, s.calls)
				}
			},
		},
		{
			name: "a batch answering 503 twice is retried", arg: map[string]any{"date": date}, batches: 3, states: []string{"deployed"},
			script: func(s *services) {
				s.batchFails[1] = []int{http.StatusServiceUnavailable, http.StatusServiceUnavailable}
			},
			want: summary(3, 300, 3, "undeployed", true), wantCalls: onlineCalls,
			check: func(t *testing.T, s *services, o outcome) {
				if diff := cmp.Diff(map[int]int{0: 1, 1: 3, 2: 1}, s.batchCalls); diff != "" {
					t.Errorf("batch requests (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "a batch answering 500 fails the execution, not retried", arg: map[string]any{"date": date}, batches: 3,
			states: []string{"deployed"},
			script: func(s *services) { s.batchFails[1] = []int{http.StatusInternalServerError} },
			wantErr: []string{"daily 20200701", "step predictBatch failed for 1 of 3 batches",
				"batch 1: HTTP server responded with error code 500: batch 1 answer 1"},
			wantStep:  "predictBatch",
			wantCalls: []string{"predict plan", "model deploy"},
			check: func(t *testing.T, s *services, o outcome) {
				if diff := cmp.Diff(map[int]int{0: 1, 1: 1, 2: 1}, s.batchCalls); diff != "" {
					t.Errorf("batch requests (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "a plan refused names the step and the service's reason", arg: map[string]any{"date": date},
			script:    func(s *services) { s.planStatus = http.StatusUnprocessableEntity },
			wantErr:   []string{"daily 20200701: step planBatches failed: HTTP server responded with error code 422: no model for 20200701"},
			wantStep:  "planBatches",
			wantCalls: []string{"predict plan"},
		},
		{
			name: "batch mode: one batch prediction job, no deployment", arg: map[string]any{"date": date}, batches: 5,
			env:    map[string]string{"MODEL_MODE": "batch"},
			script: func(s *services) { s.answers = map[string]int64{"batch_mode": 480} },
			want: map[string]any{
				"date": date, "mode": "batch", "model": "model_20200601", "batches": int64(5), "rows": int64(505),
				"predicted": int64(480), "failed": int64(0), "table": "pltv.predictions_" + date,
				"model_state": nil, "stopped": false,
			},
			wantCalls: []string{"predict plan", "predict batch_start", "predict batch_check", "predict complete"},
		},
		{
			name: "batch mode: the job is polled until done, the start retried once, the completion hook run once",
			arg:  map[string]any{"date": date}, batches: 5,
			env: map[string]string{"MODEL_MODE": "batch"},
			script: func(s *services) {
				s.answers = map[string]int64{"batch_mode": 480}
				s.batchPolls, s.batchFail = 3, http.StatusServiceUnavailable
			},
			want: map[string]any{
				"date": date, "mode": "batch", "model": "model_20200601", "batches": int64(5), "rows": int64(505),
				"predicted": int64(480), "failed": int64(0), "table": "pltv.predictions_" + date,
				"model_state": nil, "stopped": false,
			},
			wantCalls: []string{"predict plan", "predict batch_start", "predict batch_start", "predict batch_check",
				"predict batch_check", "predict batch_check", "predict batch_check", "predict complete"},
			check: func(t *testing.T, s *services, o outcome) {
				// 30 s, then 45 s, 67.5 s and 101.25 s: the waits grow by half each time.
				if waited := s.at["complete"].Sub(s.at["plan"]); waited < 243*time.Second || waited > 245*time.Second {
					t.Errorf("the date completed %v after the plan, want the four polls' waits (about 244 s)", waited)
				}
			},
		},
		{
			name: "stop is asked again while the endpoint is undeploying, a minute apart", arg: map[string]any{"date": date},
			batches: 1, states: []string{"deployed"},
			script:    func(s *services) { s.stopStates = []string{"undeploying", "undeploying", "undeployed"} },
			want:      oneBatch,
			wantCalls: []string{"predict plan", "model deploy", "predict finish", "model stop", "model stop", "model stop", "predict complete"},
			check: func(t *testing.T, s *services, o outcome) {
				if waited := s.at["complete"].Sub(s.at["finish"]); waited != 32*time.Minute {
					t.Errorf("complete came %v after finish, want 30m and two 1m waits", waited)
				}
			},
		},
		{
			name: "a failed stop is left to the scheduled stopper: the date still completes", arg: map[string]any{"date": date},
			batches: 1, states: []string{"deployed"},
			script:    func(s *services) { s.stopStatus = http.StatusInternalServerError },
			want:      summary(1, 100, 1, nil, false),
			wantCalls: onlineCalls,
			check: func(t *testing.T, s *services, o outcome) {
				for _, l := range o.logs {
					if l["severity"] == "WARNING" && strings.Contains(jsonMessage(l), "step stopModel failed") {
						return
					}
				}
				t.Errorf("no warning about the failed stop in %v", o.logs)
			},
		},
		{
			name: "the CloudEvent of the filter job", arg: jobEvent(t, jobFacts{stage: "filter", date: date}), batches: 1,
			states: []string{"deployed"}, want: oneBatch, wantCalls: onlineCalls,
		},
		{
			name: "the legacy CloudEvent of the filter job", arg: jobEvent(t, jobFacts{stage: "filter", date: date, legacy: true}),
			batches: 1, states: []string{"deployed"}, want: oneBatch, wantCalls: onlineCalls,
		},
		{
			name: "the CloudEvent of a running job is skipped",
			arg:  jobEvent(t, jobFacts{stage: "filter", date: date, running: true}),
			want: map[string]any{"date": date, "skipped": "the job is RUNNING, not DONE"},
		},
		{
			name: "the CloudEvent of a failed job is skipped",
			arg:  jobEvent(t, jobFacts{stage: "filter", date: date, failed: true}),
			want: map[string]any{"date": date, "skipped": `the job failed {"code":3,"message":"Syntax error"}`},
		},
		{
			name: "the CloudEvent of another stage's job is skipped",
			arg:  jobEvent(t, jobFacts{stage: "prepare", date: date}),
			want: map[string]any{"date": date, "skipped": `not a pltv filter job (pltv_stage "prepare")`},
		},
		{
			name:    "the CloudEvent of a job labelled with a date that is not one",
			arg:     jobEvent(t, jobFacts{stage: "filter", date: "20201301"}),
			wantErr: []string{`daily: the date "20201301" is not a real date written YYYYMMDD`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := engine.NewFakeClock(start)
			s := newServices(t, clock, tc.batches, tc.states...)
			if tc.script != nil {
				tc.script(s)
			}
			o := execute(t, workflows.Daily, clock, tc.arg, dailyEnv(s, tc.env))
			if tc.wantErr == nil {
				if o.err != nil {
					t.Fatalf("execution failed: %v", o.err)
				}
				if diff := cmp.Diff(tc.want, o.result); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
			} else {
				if o.err == nil {
					t.Fatalf("execution succeeded with %v, want an error", o.result)
				}
				msg, step := failure(t, o.err)
				for _, part := range tc.wantErr {
					if !strings.Contains(msg, part) {
						t.Errorf("error %q does not say %q", msg, part)
					}
				}
				if step != tc.wantStep {
					t.Errorf("error names step %q, want %q", step, tc.wantStep)
				}
			}
			if tc.wantCalls != nil || tc.wantErr == nil {
				if diff := cmp.Diff(tc.wantCalls, s.calls); diff != "" {
					t.Errorf("service calls (-want +got):\n%s", diff)
				}
			}
			for _, l := range o.logs {
				if d := jsonField(l, "date"); d != date {
					t.Errorf("log line without the date %s: %v", date, l)
				}
			}
			if tc.check != nil {
				tc.check(t, s, o)
			}
		})
	}
}

func jsonField(line map[string]any, key string) any {
	j, _ := line["json"].(map[string]any)
	return j[key]
}

func jsonMessage(line map[string]any) string {
	m, _ := jsonField(line, "message").(string)
	return m
}
