package engine_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows/engine"
)

// modelService stands in for the services a daily workflow calls: a model that takes a few polls to
// deploy, a prediction endpoint that fails once with 503, and an undeploy call.
type modelService struct {
	mu        sync.Mutex
	polls     int
	predicts  map[int]int // batch -> calls
	undeploys int
}

func (s *modelService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/model/deploy":
		_ = json.NewEncoder(w).Encode(map[string]any{"operation": "op-1"})
	case "/model/state":
		s.polls++
		state := "DEPLOYING"
		if s.polls > 3 {
			state = "DEPLOYED"
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"state": state})
	case "/predict":
		var req struct{ Batch int }
		_ = json.NewDecoder(r.Body).Decode(&req)
		s.predicts[req.Batch]++
		if req.Batch == 4 && s.predicts[4] == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error": "warming up"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"rows": req.Batch * 10})
	case "/model/undeploy":
		s.undeploys++
		_, _ = w.Write([]byte(`{}`))
	default:
		http.NotFound(w, r)
	}
}

const dailyLike = `
main:
  params: [args]
  steps:
    - init:
        assign:
          - base: ${args.base}
          - started: ${sys.now()}
          - predictions: 0
    - deploy:
        call: http.post
        args:
          url: ${base + "/model/deploy"}
          body:
            date: ${args.date}
        result: op
    - poll:
        call: http.get
        args:
          url: ${base + "/model/state"}
        result: state
    - ready:
        switch:
          - condition: ${state.body.state == "DEPLOYED"}
            next: predict
    - wait:
        call: sys.sleep
        args:
          seconds: 60
        next: poll
    - predict:
        parallel:
          shared: [predictions]
          concurrency_limit: 3
          for:
            value: batch
            range: [0, 9]
            steps:
              - callPredict:
                  try:
                    call: http.post
                    args:
                      url: ${base + "/predict"}
                      body:
                        batch: ${batch}
                    result: r
                  retry: ${http.default_retry}
              - count:
                  assign:
                    - predictions: ${predictions + r.body.rows}
    - idle:
        call: sys.sleep
        args:
          seconds: ${args.stop_minutes * 60}
    - stop:
        call: http.post
        args:
          url: ${base + "/model/undeploy"}
    - done:
        return:
          date: ${args.date}
          operation: ${op.body.operation}
          predictions: ${predictions}
          minutes: ${(sys.now() - started) / 60}
`

// TestDailyLikeFlow runs a whole deploy, poll, fan out, idle and stop flow in no wall time.
func TestDailyLikeFlow(t *testing.T) {
	svc := &modelService{predicts: map[int]int{}}
	ts := httptest.NewServer(svc)
	defer ts.Close()
	clock := engine.NewFakeClock(testStart)
	arg := map[string]any{"base": ts.URL, "date": "20200701", "stop_minutes": 30}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, stats, err := engine.Run(ctx, []byte(dailyLike), arg, engine.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"date": "20200701", "operation": "op-1", "predictions": int64(450),
		"minutes": (3*60 + 1 + 30*60) / 60.0} // three polls a minute apart, one retry backoff, the idle wait
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result mismatch (-want +got):\n%s", diff)
	}
	// init, deploy, 3×(poll, ready, wait), poll, ready, predict, 10×(callPredict, count), 1 retry, idle, stop, done
	if stats.Steps != 38 {
		t.Errorf("billed steps = %d, want 38", stats.Steps)
	}
	if svc.polls != 4 || svc.predicts[4] != 2 || len(svc.predicts) != 10 || svc.undeploys != 1 {
		t.Errorf("service saw %d polls, %v predictions, %d undeploys", svc.polls, svc.predicts, svc.undeploys)
	}
}
