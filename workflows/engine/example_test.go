package engine_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pltv/pltv/workflows/engine"
)

// A workflow runs as it is written for Cloud Workflows; with a fake clock, its sleeps take no time.
func ExampleRun() {
	src := []byte(`
main:
  params: [args]
  steps:
    - wait:
        call: sys.sleep
        args:
          seconds: 1800
    - greet:
        return: ${"backfill from " + args.from + " at " + time.format(sys.now())}
`)
	clock := engine.NewFakeClock(time.Date(2020, 7, 1, 6, 0, 0, 0, time.UTC))
	result, stats, err := engine.Run(context.Background(), src, map[string]any{"from": "20200701"}, engine.Options{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(result)
	fmt.Println(stats.Steps, "steps")
	// Output:
	// backfill from 20200701 at 2020-07-01T06:30:00.000000Z
	// 2 steps
}

// An uncaught error reports the documented error map and where it was raised.
func ExampleExecutionError() {
	src := []byte(`
- lookup:
    assign:
      - cfg: {}
      - v: ${cfg.missing}
`)
	_, _, err := engine.Run(context.Background(), src, nil, engine.Options{})
	if ee, ok := engine.AsExecutionError(err); ok {
		fmt.Println(ee.PayloadJSON())
		fmt.Println(ee.Step(), ee.Line())
	}
	// Output:
	// {"message":"KeyError: key not found: missing","tags":["KeyError"]}
	// lookup 2
}
