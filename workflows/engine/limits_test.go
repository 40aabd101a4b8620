package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pltv/pltv/workflows/engine"
)

const infiniteLoop = `
- init:
    assign:
      - i: 0
- spin:
    assign:
      - i: ${i + 1}
    next: spin
`

func TestStepLimit(t *testing.T) {
	runCases(t, []runCase{
		{name: "an infinite loop stops at the documented limit of 100,000 steps", src: infiniteLoop,
			tags: []string{"ResourceLimitError"}, step: "spin", steps: 100_001},
	}, nil)
	runCases(t, []runCase{
		{name: "a lower limit", src: infiniteLoop, tags: []string{"ResourceLimitError"}, step: "spin", steps: 51},
		{name: "catching the limit error does not help", src: `
- t:
    try:
      steps:
        - spin:
            next: spin
    except:
      as: e
      steps:
        - handled:
            return: handled
`, tags: []string{"ResourceLimitError"}, step: "handled"},
		{name: "the limit reached in a parallel branch ends the execution", src: `
- p:
    parallel:
      for:
        value: v
        range: [1, 100]
        steps:
          - a:
              assign:
                - x: ${v}
`, tags: []string{"ResourceLimitError"}, step: "a"},
	}, func() engine.Options { return engine.Options{StepLimit: 50} })
}

func TestArguments(t *testing.T) {
	src := `
main:
  params: [args]
  steps:
    - read:
        assign:
          - from: ${args.from}
    - r:
        return: ${from}
`
	runCases(t, []runCase{
		{name: "a map argument", src: src, arg: map[string]any{"from": "20200701"}, want: `"20200701"`},
		{name: "a JSON argument", src: src, arg: json.RawMessage(`{"from": "20200701"}`), want: `"20200701"`},
		{name: "a wrong-typed argument fails in the step that reads it", src: src, arg: []any{"20200701"}, tags: []string{"TypeError"}, step: "read"},
		{name: "a missing key", src: src, arg: map[string]any{"to": "x"}, tags: []string{"KeyError"}, step: "read"},
		{name: "no argument", src: src, tags: []string{"TypeError"}, step: "read"},
	}, nil)

	t.Run("an argument that is not JSON is refused before running", func(t *testing.T) {
		_, stats, err := engine.Run(context.Background(), []byte(src), make(chan int), engine.Options{})
		if err == nil || stats.Steps != 0 {
			t.Errorf("Run() = %v after %d steps, want an error before any step", err, stats.Steps)
		}
		if _, ok := engine.AsExecutionError(err); ok {
			t.Errorf("Run() error %v is an execution error, want an argument error", err)
		}
	})
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := engine.Run(ctx, []byte(infiniteLoop), nil, engine.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run() error = %v, want context.Canceled", err)
	}
}

func TestConnectors(t *testing.T) {
	src := `
- deploy:
    try:
      call: googleapis.aiplatform.v1.projects.locations.endpoints.deployModel
      args:
        endpoint: e1
      result: op
    except:
      as: e
      steps:
        - failed:
            return: ${e.tags}
- r:
    return: ${op}
`
	t.Run("provided", func(t *testing.T) {
		got, _, err := engine.Run(context.Background(), []byte(src), nil, engine.Options{Connectors: map[string]engine.Connector{
			"googleapis.aiplatform.v1.projects.locations.endpoints.deployModel": func(_ context.Context, args map[string]any) (any, error) {
				return map[string]any{"deployed": args["endpoint"]}, nil
			},
		}})
		if err != nil || got.(map[string]any)["deployed"] != "e1" {
			t.Errorf("Run() = %v, %v", got, err)
		}
	})
	t.Run("raising a workflow error", func(t *testing.T) {
		got, _, err := engine.Run(context.Background(), []byte(src), nil, engine.Options{Connectors: map[string]engine.Connector{
			"googleapis.aiplatform.v1.projects.locations.endpoints.deployModel": func(context.Context, map[string]any) (any, error) {
				return nil, engine.Raise("quota", "ResourceLimitError")
			},
		}})
		if err != nil || len(got.([]any)) != 1 || got.([]any)[0] != "ResourceLimitError" {
			t.Errorf("Run() = %v, %v, want the connector's tags", got, err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, _, err := engine.Run(context.Background(), []byte(src), nil, engine.Options{})
		if err == nil || !strings.Contains(err.Error(), "googleapis.aiplatform") || !strings.Contains(err.Error(), "Options.Connectors") {
			t.Errorf("Run() error = %v, want one naming the connector", err)
		}
	})
}

func TestBytesCannotBeReturned(t *testing.T) {
	runCases(t, []runCase{
		{name: "bytes result", src: `
- r:
    return: ${text.encode("x")}
`, tags: []string{"TypeError"}},
	}, nil)
}
