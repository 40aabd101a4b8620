package stdlib

import (
	"context"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// DefaultBackoff is retry.default_backoff.
func DefaultBackoff() map[string]any {
	return map[string]any{"initial_delay": int64(1), "max_delay": int64(60), "multiplier": 1.25}
}

func init() {
	register("retry.always", []string{"exception"}, 1, func(context.Context, []any) (any, error) { return true, nil })
	register("retry.never", []string{"exception"}, 1, func(context.Context, []any) (any, error) { return false, nil })
	register("http.default_retry_predicate", []string{"exception"}, 1, func(_ context.Context, a []any) (any, error) {
		return retryable(a[0], []int64{429, 502, 503, 504}, value.ConnectionError, value.ConnectionFailedError, value.TimeoutError), nil
	})
	register("http.default_retry_predicate_non_idempotent", []string{"exception"}, 1, func(_ context.Context, a []any) (any, error) {
		return retryable(a[0], []int64{429, 503}, value.ConnectionFailedError), nil
	})
	constants["retry.default_backoff"] = DefaultBackoff()
	constants["http.default_retry"] = map[string]any{
		"predicate":   &value.Func{Name: "http.default_retry_predicate"},
		"max_retries": int64(5),
		"backoff":     DefaultBackoff(),
	}
	constants["http.default_retry_non_idempotent"] = map[string]any{
		"predicate":   &value.Func{Name: "http.default_retry_predicate_non_idempotent"},
		"max_retries": int64(5),
		"backoff":     DefaultBackoff(),
	}
}

// retryable reports whether an error map is an HttpError with one of codes or carries one of tags.
func retryable(e any, codes []int64, tags ...string) bool {
	m, ok := e.(map[string]any)
	if !ok {
		return false
	}
	list, _ := m["tags"].([]any)
	for _, t := range list {
		for _, want := range tags {
			if t == want {
				return true
			}
		}
		if t == value.HttpError {
			code, _ := m["code"].(int64)
			for _, c := range codes {
				if code == c {
					return true
				}
			}
		}
	}
	return false
}
