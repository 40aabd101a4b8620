package engine_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pltv/pltv/workflows/engine"
)

func TestParallel(t *testing.T) {
	runCases(t, []runCase{
		{name: "branches write shared variables", src: `
- init:
    assign:
      - input: [apples, oranges]
      - results: {}
- par:
    parallel:
      shared: [results]
      branches:
        - first:
            steps:
              - a:
                  assign:
                    - local: ${input[0]}
                    - results.first: ${local}
        - second:
            steps:
              - b:
                  assign:
                    - local: ${input[1]}
                    - results.second: ${local}
- r:
    return: ${results}
`, want: `{"first":"apples","second":"oranges"}`, steps: 5},
		{name: "shared counter in a parallel for is updated atomically", src: `
- init:
    assign:
      - total: 0
- par:
    parallel:
      shared: [total]
      for:
        value: v
        range: [1, 100]
        steps:
          - add:
              assign:
                - total: ${total + v}
- r:
    return: ${total}
`, want: `5050`, steps: 103},
		{name: "concurrency limit from an expression", src: `
- init:
    assign:
      - n: 2
      - out: {}
- par:
    parallel:
      shared: [out]
      concurrency_limit: 1
      for:
        value: v
        index: i
        in: [x, y, z]
        steps:
          - put:
              assign:
                - out[v]: ${i}
- r:
    return: ${out}
`, want: `{"x":0,"y":1,"z":2}`},
		{name: "a shared variable may be created by a branch", src: `
- par:
    parallel:
      shared: [user, notification]
      branches:
        - getUser:
            steps:
              - a:
                  assign:
                    - user: ada
        - getNotification:
            steps:
              - b:
                  assign:
                    - notification: hello
- r:
    return: ${[user, notification]}
`, want: `["ada","hello"]`},
		{name: "branch-local variables do not leak", src: `
- par:
    parallel:
      branches:
        - one:
            steps:
              - a:
                  assign:
                    - local: 1
        - two:
            steps:
              - b:
                  assign:
                    - other: 2
- r:
    return: ${local}
`, tags: []string{"KeyError"}, step: "r"},
		{name: "continueAll runs every branch, then raises UnhandledBranchError", src: `
- init:
    assign:
      - done: []
- par:
    try:
      parallel:
        exception_policy: continueAll
        shared: [done]
        branches:
          - bad:
              steps:
                - fail:
                    raise:
                      code: 55
                      message: bad branch
          - good:
              steps:
                - ok:
                    assign:
                      - done: ${list.concat(done, "good")}
    except:
      as: e
      steps:
        - report:
            return: '${ {"done": done, "tags": e.tags, "branches": e.branches} }'
`, want: `{"branches":[{"error":{"code":55,"message":"bad branch"},"id":"bad"}],"done":["good"],"tags":["UnhandledBranchError"]}`},
		{name: "the documented error handling sample", src: `
- catchErrors:
    try:
      steps:
        - failOdd:
            parallel:
              for:
                value: num
                range: [0, 5]
                steps:
                  - checkEven:
                      switch:
                        - condition: ${num % 2 != 0}
                          raise: "how odd!"
    except:
      as: e
      steps:
        - log:
            call: sys.log
            args:
              data: ${e}
        - returnError:
            return: ${e}
`, want: `{"branches":[{"error":"how odd!","id":"1"},{"error":"how odd!","id":"3"},{"error":"how odd!","id":"5"}],` +
			`"message":"UnhandledBranchError: One or more branches or iterations encountered an unhandled runtime error","tags":["UnhandledBranchError"]}`,
			steps: 1 + 1 + 6 + 2},
		{name: "uncaught branch errors fail the execution", src: `
- par:
    parallel:
      for:
        value: v
        in: [1, 2]
        steps:
          - boom:
              raise: ${"failed " + string(v)}
`, payload: `{"branches":[{"error":"failed 1","id":"0"},{"error":"failed 2","id":"1"}],"message":"UnhandledBranchError: One or more branches or iterations encountered an unhandled runtime error","tags":["UnhandledBranchError"]}`, step: "par"},
		{name: "a parallel step inside a parallel step", src: `
- init:
    assign:
      - n: 0
- outer:
    parallel:
      shared: [n]
      for:
        value: a
        in: [1, 2]
        steps:
          - inner:
              parallel:
                shared: [n]
                for:
                  value: b
                  in: [10, 20]
                  steps:
                    - add:
                        assign:
                          - n: ${n + a * b}
- r:
    return: ${n}
`, want: `90`},
		{name: "nesting deeper than two levels", src: `
main:
  steps:
    - p1:
        parallel:
          for:
            value: a
            in: [1]
            steps:
              - c:
                  call: level2
level2:
  steps:
    - p2:
        parallel:
          for:
            value: b
            in: [1]
            steps:
              - c:
                  call: level3
level3:
  steps:
    - p3:
        parallel:
          for:
            value: c
            in: [1]
            steps:
              - r:
                  return: 1
`, tags: []string{"UnhandledBranchError"}},
	}, nil)
}

// TestParallelNestingError looks at what the innermost branch raised.
func TestParallelNestingError(t *testing.T) {
	src := `
main:
  steps:
    - p1:
        try:
          parallel:
            for:
              value: a
              in: [1]
              steps:
                - p2:
                    parallel:
                      for:
                        value: b
                        in: [1]
                        steps:
                          - c:
                              call: level3
        except:
          as: e
          steps:
            - r:
                return: ${e.branches[0].error.branches[0].error.tags}
level3:
  steps:
    - p3:
        parallel:
          branches:
            - x:
                steps:
                  - a:
                      return: 1
            - y:
                steps:
                  - b:
                      return: 2
`
	checkRun(t, runCase{src: src, want: `["ParallelNestingError"]`}, engine.Options{Clock: engine.NewFakeClock(testStart)})
}

// TestParallelRunsConcurrently shows that branches wait for each other: each HTTP handler blocks until
// every branch has reached it.
func TestParallelRunsConcurrently(t *testing.T) {
	const branches = 4
	var arrived atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if arrived.Add(1) == branches {
			close(release)
		}
		select {
		case <-release:
		case <-time.After(10 * time.Second):
			http.Error(w, "branches did not run concurrently", http.StatusGatewayTimeout)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok": true}`))
	}))
	defer srv.Close()
	src := `
main:
  params: [url]
  steps:
    - init:
        assign:
          - oks: 0
    - par:
        parallel:
          shared: [oks]
          concurrency_limit: 4
          for:
            value: v
            range: [1, 4]
            steps:
              - get:
                  call: http.get
                  args:
                    url: ${url}
                  result: resp
              - count:
                  assign:
                    - oks: ${if(resp.body.ok, oks + 1, oks)}
    - r:
        return: ${oks}
`
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, _, err := engine.Run(ctx, []byte(src), srv.URL, engine.Options{})
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if got != int64(branches) {
		t.Errorf("Run() = %v, want %d successful branches", got, branches)
	}
	if got := arrived.Load(); got != branches {
		t.Errorf("%d requests arrived, want %d", got, branches)
	}
}
