package stdlib

import (
	"context"
	"math"
	"time"
	_ "time/tzdata" // time.format takes tz database names; do not depend on the host's zoneinfo

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// TimeLayout is how time.format renders a timestamp: ISO 8601 with microseconds.
const TimeLayout = "2006-01-02T15:04:05.000000Z07:00"

func init() {
	register("math.abs", []string{"x"}, 1, func(_ context.Context, a []any) (any, error) {
		switch n := a[0].(type) {
		case int64:
			if n == math.MinInt64 {
				return nil, value.ValueErrorf("math.abs: integer overflow")
			}
			if n < 0 {
				return -n, nil
			}
			return n, nil
		case float64:
			return math.Abs(n), nil
		}
		return nil, value.TypeErrorf("math.abs: x must be a number, got %s", value.TypeName(a[0]))
	})
	register("math.floor", []string{"x"}, 1, func(_ context.Context, a []any) (any, error) {
		switch n := a[0].(type) {
		case int64:
			return n, nil
		case float64:
			f := math.Floor(n)
			if math.IsNaN(f) || f >= math.MaxInt64 || f < math.MinInt64 {
				return nil, value.ValueErrorf("math.floor: %s does not fit in an integer", value.FormatDouble(n))
			}
			return int64(f), nil
		}
		return nil, value.TypeErrorf("math.floor: x must be a number, got %s", value.TypeName(a[0]))
	})
	register("math.max", []string{"x", "y"}, 2, func(_ context.Context, a []any) (any, error) {
		return pick("math.max", a, 1)
	})
	register("math.min", []string{"x", "y"}, 2, func(_ context.Context, a []any) (any, error) {
		return pick("math.min", a, -1)
	})
	register("time.format", []string{"seconds", "timezone"}, 1, func(_ context.Context, a []any) (any, error) {
		secs, ok := value.ToFloat(a[0])
		if !ok {
			return nil, value.TypeErrorf("time.format: seconds must be a number, got %s", value.TypeName(a[0]))
		}
		loc := time.UTC
		if tz := arg(a, 1); tz != nil {
			name, err := str("time.format", tz, "timezone")
			if err != nil {
				return nil, err
			}
			if name != "" {
				if loc, err = time.LoadLocation(name); err != nil {
					return nil, value.ValueErrorf("time.format: unknown timezone %q", name)
				}
			}
		}
		return FormatTime(SecondsToTime(secs).In(loc)), nil
	})
	register("time.parse", []string{"value"}, 1, func(_ context.Context, a []any) (any, error) {
		s, err := str("time.parse", a[0], "value")
		if err != nil {
			return nil, err
		}
		t, err := ParseTime(s)
		if err != nil {
			return nil, err
		}
		return TimeToSeconds(t), nil
	})
}

func pick(fn string, a []any, sign int) (any, error) {
	c, ok := value.Compare(a[0], a[1])
	if !ok || !value.IsNumber(a[0]) {
		return nil, value.TypeErrorf("%s: arguments must be numbers, got %s and %s", fn, value.TypeName(a[0]), value.TypeName(a[1]))
	}
	if c*sign >= 0 {
		return a[0], nil
	}
	return a[1], nil
}

// SecondsToTime converts seconds since the epoch (with a fraction) to a time, to the microsecond.
func SecondsToTime(secs float64) time.Time {
	return time.UnixMicro(int64(math.Round(secs * 1e6))).UTC()
}

// TimeToSeconds converts a time to seconds since the epoch, as sys.now returns them.
func TimeToSeconds(t time.Time) float64 {
	return float64(t.UnixMicro()) / 1e6
}

// FormatTime renders t as time.format does.
func FormatTime(t time.Time) string { return t.Format(TimeLayout) }

// ParseTime reads an ISO 8601 / RFC 3339 timestamp with an offset or Z.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999Z07"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, value.ValueErrorf("time.parse: invalid timestamp %q (expected ISO 8601 with a timezone, like 2024-01-10T16:15:54.615087Z)", s)
}
