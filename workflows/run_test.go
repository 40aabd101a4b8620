package workflows_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"testing"
	"time"

	"github.com/pltv/pltv/workflows"
	"github.com/pltv/pltv/workflows/engine"
)

// start is when each test's workflow clock starts.
var start = time.Date(2020, 7, 2, 6, 0, 0, 0, time.UTC)

// outcome is what one execution gave.
type outcome struct {
	result any
	stats  engine.Stats
	err    error
	logs   []map[string]any // the workflow's sys.log entries, as JSON log lines
}

// execute runs an embedded workflow in the engine on clock, with env, and collects its sys.log lines.
func execute(t testing.TB, name string, clock *engine.FakeClock, arg any, env map[string]string) outcome {
	t.Helper()
	src, err := workflows.Source(name)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var o outcome
	o.result, o.stats, o.err = engine.Run(ctx, src, arg, engine.Options{Clock: clock, Env: env, Logger: log, Authorize: oidcAuthorize})
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		o.logs = append(o.logs, line)
	}
	return o
}

// dailyEnv is the daily workflow's environment for s, with overrides; an empty override unsets a variable.
func dailyEnv(s *services, overrides map[string]string) map[string]string {
	env := map[string]string{
		"PREDICT_URL":                  s.predict.URL,
		"MODEL_URL":                    s.model.URL,
		"MODEL_MODE":                   "online",
		"PREDICT_BATCH_CONCURRENCY":    "4",
		"STOP_MODEL_WAITING_MINUTES":   "30",
		"MODEL_DEPLOY_TIMEOUT_MINUTES": "30",
	}
	maps.Copy(env, overrides)
	maps.DeleteFunc(env, func(_, v string) bool { return v == "" })
	return env
}

// failure returns the message and step of a failed execution's error payload.
func failure(t *testing.T, err error) (message, step string) {
	t.Helper()
	var xe *engine.ExecutionError
	if !errors.As(err, &xe) {
		t.Fatalf("want an execution error, got %v", err)
	}
	switch p := xe.Payload.(type) {
	case string:
		return p, ""
	case map[string]any:
		message, _ = p["message"].(string)
		step, _ = p["step"].(string)
		return message, step
	}
	t.Fatalf("error payload %#v is neither a string nor a map", xe.Payload)
	return "", ""
}
