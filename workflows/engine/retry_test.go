package engine_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows/engine"
)

// statusServer answers each request with the next status of a script (the last one repeats) and counts
// the requests.
type statusServer struct {
	mu       sync.Mutex
	statuses []int
	requests int
}

func (s *statusServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	code := s.statuses[min(s.requests, len(s.statuses)-1)]
	s.requests++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprintf(w, `{"status": %d}`, code)
}

const retryWorkflow = `
main:
  params: [url]
  steps:
    - get:
        try:
          call: http.get
          args:
            url: ${url}
          result: resp
        retry: %s
    - ret:
        return: ${resp.body}
always_retry:
  params: [e]
  steps:
    - r:
        return: true
retry_on_409:
  params: [e]
  steps:
    - check:
        switch:
          - condition: ${"HttpError" in e.tags and e.code == 409}
            return: true
    - no:
        return: false
`

func TestRetry(t *testing.T) {
	const customBackoff = `
          predicate: %s
          max_retries: 2
          backoff:
            initial_delay: 2
            max_delay: 3
            multiplier: 2`
	tests := []struct {
		name     string
		policy   string
		statuses []int
		want     string   // result as JSON, or
		tags     []string // the uncaught error
		requests int
		slept    time.Duration
		steps    int64
	}{
		{name: "default_retry retries 503 then succeeds", policy: "${http.default_retry}", statuses: []int{503, 503, 200},
			want: `{"status":200}`, requests: 3, slept: 2250 * time.Millisecond, steps: 4},
		{name: "default_retry retries 429 five times", policy: "${http.default_retry}", statuses: []int{429},
			tags: []string{"HttpError"}, requests: 6, slept: time.Duration(8.20703125 * float64(time.Second)), steps: 6},
		{name: "default_retry retries 502 five times", policy: "${http.default_retry}", statuses: []int{502}, tags: []string{"HttpError"}, requests: 6},
		{name: "default_retry retries 504 five times", policy: "${http.default_retry}", statuses: []int{504}, tags: []string{"HttpError"}, requests: 6},
		{name: "default_retry does not retry 500", policy: "${http.default_retry}", statuses: []int{500, 200},
			tags: []string{"HttpError"}, requests: 1, steps: 1},
		{name: "default_retry does not retry 404", policy: "${http.default_retry}", statuses: []int{404}, tags: []string{"HttpError"}, requests: 1},
		{name: "non-idempotent policy retries 503", policy: "${http.default_retry_non_idempotent}", statuses: []int{503, 200}, want: `{"status":200}`, requests: 2},
		{name: "non-idempotent policy does not retry 502", policy: "${http.default_retry_non_idempotent}", statuses: []int{502, 200}, tags: []string{"HttpError"}, requests: 1},
		{name: "custom predicate subworkflow and backoff", policy: fmt.Sprintf(customBackoff, "${retry_on_409}"), statuses: []int{409},
			tags: []string{"HttpError"}, requests: 3, slept: 5 * time.Second, steps: 3 + 2}, // 3 attempts, 2 predicate calls of one step
		{name: "custom predicate stops on other errors", policy: fmt.Sprintf(customBackoff, "${retry_on_409}"), statuses: []int{409, 500},
			tags: []string{"HttpError"}, requests: 2},
		{name: "always-true predicate subworkflow", policy: fmt.Sprintf(customBackoff, "${always_retry}"), statuses: []int{500, 500, 200}, want: `{"status":200}`, requests: 3},
		{name: "retry.always predicate", policy: fmt.Sprintf(customBackoff, "${retry.always}"), statuses: []int{500, 200}, want: `{"status":200}`, requests: 2},
		{name: "retry.never predicate", policy: fmt.Sprintf(customBackoff, "${retry.never}"), statuses: []int{500, 200}, tags: []string{"HttpError"}, requests: 1},
		{name: "default_retry_predicate with a custom count", policy: `
          predicate: ${http.default_retry_predicate}
          max_retries: 1`, statuses: []int{503}, tags: []string{"HttpError"}, requests: 2, slept: time.Second},
		{name: "a predicate is not a policy", policy: "${retry.always}", statuses: []int{500}, tags: []string{"TypeError"}, requests: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &statusServer{statuses: tt.statuses}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			clock := engine.NewFakeClock(testStart)
			src := fmt.Sprintf(retryWorkflow, tt.policy)
			checkRun(t, runCase{src: src, arg: ts.URL, want: tt.want, tags: tt.tags, steps: tt.steps}, engine.Options{Clock: clock})
			if srv.requests != tt.requests {
				t.Errorf("server got %d requests, want %d", srv.requests, tt.requests)
			}
			if tt.slept != 0 && clock.Slept() != tt.slept {
				t.Errorf("backoff slept %v, want %v", clock.Slept(), tt.slept)
			}
		})
	}
}

// TestRetryConnectionErrors retries a server that is not there.
func TestRetryConnectionErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close() // nothing listens there any more: connections are refused
	tests := []struct {
		policy string
		steps  int64
	}{
		{"${http.default_retry}", 6},
		{"${http.default_retry_non_idempotent}", 6},
	}
	for _, tt := range tests {
		t.Run(tt.policy, func(t *testing.T) {
			clock := engine.NewFakeClock(testStart)
			checkRun(t, runCase{src: fmt.Sprintf(retryWorkflow, tt.policy), arg: url, tags: []string{"ConnectionFailedError"}, step: "get", steps: tt.steps},
				engine.Options{Clock: clock})
		})
	}
}

func TestTryExceptRaise(t *testing.T) {
	runCases(t, []runCase{
		{name: "raise a string and catch it", src: `
- t:
    try:
      raise: boom
    except:
      as: e
      steps:
        - r:
            return: ${e}
`, want: `"boom"`},
		{name: "raise a map and catch it", src: `
- t:
    try:
      steps:
        - r:
            raise:
              code: 55
              message: went wrong
    except:
      as: e
      steps:
        - ret:
            return: ${e.code}
`, want: `55`},
		{name: "runtime errors are maps with tags and message", src: `
- t:
    try:
      steps:
        - div:
            assign:
              - x: ${1 / 0}
    except:
      as: e
      steps:
        - ret:
            return: ${e}
`, want: `{"message":"ZeroDivisionError: division by zero","tags":["ZeroDivisionError"]}`},
		{name: "checking a tag with in", src: `
- t:
    try:
      steps:
        - k:
            assign:
              - x: ${ {}.missing }
    except:
      as: e
      steps:
        - check:
            switch:
              - condition: ${"KeyError" in e.tags}
                return: key error
        - other:
            return: other
`, want: `"key error"`},
		{name: "re-raise from except fails the execution", src: `
- t:
    try:
      raise:
        code: 1
        message: first
    except:
      as: e
      steps:
        - again:
            raise: ${e}
`, payload: `{"code":1,"message":"first"}`, step: "again"},
		{name: "except without as", src: `
- t:
    try:
      raise: boom
    except:
      steps:
        - r:
            return: caught
`, want: `"caught"`},
		{name: "steps after a caught error run", src: `
- t:
    try:
      raise: boom
    except:
      as: e
      steps:
        - note:
            assign:
              - caught: ${e}
- after:
    return: ${"after " + caught}
`, want: `"after boom"`},
		{name: "an uncaught raise fails with the raised value", src: `
- a:
    assign:
      - x: 1
- fail:
    raise: '${ {"code": 404, "message": "not found", "x": x} }'
`, payload: `{"code":404,"message":"not found","x":1}`, step: "fail"},
	}, nil)
}

// TestUncaughtHTTPErrorPayload checks the documented HttpError map of an uncaught error.
func TestUncaughtHTTPErrorPayload(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Reason", "gone")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error": "no such thing"}`))
	}))
	defer ts.Close()
	src := `
main:
  params: [url]
  steps:
    - fetch:
        call: http.get
        args:
          url: ${url}
`
	_, _, err := engine.Run(context.Background(), []byte(src), ts.URL, engine.Options{})
	ee, ok := engine.AsExecutionError(err)
	if !ok {
		t.Fatalf("Run() error = %v, want an execution error", err)
	}
	p := ee.Payload.(map[string]any)
	got := map[string]any{"tags": p["tags"], "message": p["message"], "code": p["code"], "body": p["body"],
		"reason": p["headers"].(map[string]any)["X-Reason"], "step": ee.Step(), "line": ee.Line()}
	want := map[string]any{
		"tags":    []any{"HttpError"},
		"message": "HTTP server responded with error code 404",
		"code":    int64(404),
		"body":    map[string]any{"error": "no such thing"},
		"reason":  "gone",
		"step":    "fetch",
		"line":    5,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("payload mismatch (-want +got):\n%s", diff)
	}
	wantContext := "RuntimeError: " + ee.PayloadJSON() + "\nTraceback (most recent call last):\n  in step \"fetch\", routine \"main\", line: 5"
	if diff := cmp.Diff(wantContext, ee.Context()); diff != "" {
		t.Errorf("context mismatch (-want +got):\n%s", diff)
	}
}
