package engine

import (
	"context"
	"log/slog"
	"math"
	"time"

	"github.com/pltv/pltv/workflows/engine/internal/stdlib"
	"github.com/pltv/pltv/workflows/engine/internal/value"
)

type builtinFunc func(ctx context.Context, x *execution, at site, args []any) (any, error)

var builtinImpls map[string]builtinFunc

func init() {
	builtinImpls = map[string]builtinFunc{
		"http.get":        httpMethod("GET"),
		"http.post":       httpMethod("POST"),
		"http.put":        httpMethod("PUT"),
		"http.patch":      httpMethod("PATCH"),
		"http.delete":     httpMethod("DELETE"),
		"http.request":    httpMethod(""),
		"sys.sleep":       sysSleep,
		"sys.sleep_until": sysSleepUntil,
		"sys.log":         sysLog,
		"sys.now":         sysNow,
		"sys.get_env":     sysGetEnv,
	}
}

func argAt(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return nil
}

func sysSleep(ctx context.Context, x *execution, _ site, args []any) (any, error) {
	secs, ok := value.ToFloat(args[0])
	if !ok {
		return nil, value.TypeErrorf("sys.sleep: seconds must be a number, got %s", value.TypeName(args[0]))
	}
	if secs < 0 || secs > maxSleep || math.IsNaN(secs) {
		return nil, value.ValueErrorf("sys.sleep: seconds must be between 0 and %d, got %v", maxSleep, secs)
	}
	return nil, x.clockOf(ctx).Sleep(ctx, time.Duration(secs*float64(time.Second)))
}

func sysSleepUntil(ctx context.Context, x *execution, _ site, args []any) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return nil, value.TypeErrorf("sys.sleep_until: time must be a string, got %s", value.TypeName(args[0]))
	}
	t, err := stdlib.ParseTime(s)
	if err != nil {
		return nil, err
	}
	d := t.Sub(x.clockOf(ctx).Now())
	if d > maxSleep*time.Second {
		return nil, value.ValueErrorf("sys.sleep_until: %s is more than a year away", s)
	}
	if d <= 0 {
		return nil, nil
	}
	return nil, x.clockOf(ctx).Sleep(ctx, d)
}

func sysNow(ctx context.Context, x *execution, _ site, _ []any) (any, error) {
	return stdlib.TimeToSeconds(x.clockOf(ctx).Now()), nil
}

func sysGetEnv(_ context.Context, x *execution, _ site, args []any) (any, error) {
	name, ok := args[0].(string)
	if !ok {
		return nil, value.TypeErrorf("sys.get_env: name must be a string, got %s", value.TypeName(args[0]))
	}
	def := argAt(args, 1)
	if _, ok := def.(string); def != nil && !ok {
		return nil, value.TypeErrorf("sys.get_env: default must be a string, got %s", value.TypeName(def))
	}
	if v, ok := x.env[name]; ok {
		return v, nil
	}
	return def, nil
}

// severities maps Cloud Logging severities to slog levels.
var severities = map[string]slog.Level{
	"DEFAULT":   slog.LevelInfo,
	"DEBUG":     slog.LevelDebug,
	"INFO":      slog.LevelInfo,
	"NOTICE":    slog.LevelInfo + 2,
	"WARNING":   slog.LevelWarn,
	"ERROR":     slog.LevelError,
	"CRITICAL":  slog.LevelError + 4,
	"ALERT":     slog.LevelError + 6,
	"EMERGENCY": slog.LevelError + 8,
}

func sysLog(ctx context.Context, x *execution, at site, args []any) (any, error) {
	data, sev, text, jsonArg := argAt(args, 0), argAt(args, 1), argAt(args, 2), argAt(args, 3)
	given := 0
	for _, v := range []any{data, text, jsonArg} {
		if v != nil {
			given++
		}
	}
	if given != 1 {
		return nil, value.TypeErrorf("sys.log: exactly one of data, text or json must be given, got %d", given)
	}
	severity := "DEFAULT"
	if sev != nil {
		s, ok := sev.(string)
		if !ok {
			return nil, value.TypeErrorf("sys.log: severity must be a string, got %s", value.TypeName(sev))
		}
		severity = s
	}
	level, ok := severities[severity]
	if !ok {
		return nil, value.ValueErrorf("sys.log: unknown severity %q", severity)
	}
	attrs := []slog.Attr{
		slog.String("severity", severity),
		slog.String("workflow", x.workflowID),
		slog.String("execution", x.executionID),
		slog.String("subworkflow", at.sub),
		slog.String("step", at.step),
	}
	msg := ""
	switch {
	case jsonArg != nil:
		m, ok := jsonArg.(map[string]any)
		if !ok {
			return nil, value.TypeErrorf("sys.log: json must be a map, got %s", value.TypeName(jsonArg))
		}
		attrs = append(attrs, slog.Any("json", value.ToJSON(m)))
	case data != nil:
		if m, ok := data.(map[string]any); ok {
			attrs = append(attrs, slog.Any("json", value.ToJSON(m)))
			break
		}
		s, err := logText("data", data)
		if err != nil {
			return nil, err
		}
		msg = s
	default:
		s, err := logText("text", text)
		if err != nil {
			return nil, err
		}
		msg = s
	}
	x.logger.LogAttrs(ctx, level, msg, attrs...)
	return nil, nil
}

func logText(param string, v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case int64, float64, bool, []any, map[string]any:
		b, err := value.MarshalJSON(t)
		return string(b), err
	}
	return "", value.TypeErrorf("sys.log: %s cannot be of type %s", param, value.TypeName(v))
}
