package engine

import (
	"context"
	"math"
	"time"

	"github.com/pltv/pltv/workflows/engine/internal/stdlib"
	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// retryPolicy is a resolved retry block or default policy.
type retryPolicy struct {
	predicate    *value.Func
	maxRetries   int64
	initialDelay float64 // seconds
	maxDelay     float64
	multiplier   float64
}

// delay is the wait before retry number attempt (0 for the first retry).
func (p *retryPolicy) delay(attempt int64) time.Duration {
	d := p.initialDelay * math.Pow(p.multiplier, float64(attempt))
	if p.maxDelay > 0 && d > p.maxDelay {
		d = p.maxDelay
	}
	return time.Duration(d * float64(time.Second))
}

func (f *frame) runTry(ctx context.Context, sc *scope, s *step) (control, error) {
	t := s.try
	var policy *retryPolicy
	var attempt int64
	for {
		ctl, err := f.runBlock(ctx, sc, t.body, "")
		if err == nil {
			return ctl, nil
		}
		r, ok := asRaised(err)
		if !ok {
			return control{}, err
		}
		if t.retry != nil {
			if policy == nil {
				if policy, err = f.resolveRetry(ctx, sc, t.retry); err != nil {
					return control{}, err
				}
			}
			if attempt < policy.maxRetries {
				again, err := f.retryPredicate(ctx, policy.predicate, r.exc.Value, s.name)
				if err != nil {
					return control{}, err
				}
				if again {
					if err := f.exec.clockOf(ctx).Sleep(ctx, policy.delay(attempt)); err != nil {
						return control{}, err
					}
					attempt++
					if err := f.exec.countStep(); err != nil { // every retry is billed as a step
						return control{}, err
					}
					continue
				}
			}
		}
		if !t.hasExcept {
			return control{}, r
		}
		if t.as != "" {
			if err := f.setVar(sc, t.as, r.exc.Value); err != nil {
				return control{}, err
			}
		}
		return f.runBlock(ctx, sc, t.except, "")
	}
}

func (f *frame) retryPredicate(ctx context.Context, pred *value.Func, exc any, step string) (bool, error) {
	v, err := f.exec.invoke(ctx, f, pred.Name, []any{exc}, step)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, value.TypeErrorf("retry predicate %s must return a boolean, got %s", pred.Name, value.TypeName(v))
	}
	return b, nil
}

// resolveRetry evaluates a retry policy: ${http.default_retry}-style, or a map of predicate, max_retries
// and backoff.
func (f *frame) resolveRetry(ctx context.Context, sc *scope, r *retrySpec) (*retryPolicy, error) {
	e := &env{f: f, sc: sc}
	fields := map[string]any{}
	if r.policy != nil {
		v, err := r.policy.eval(ctx, e)
		if err != nil {
			return nil, err
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, value.TypeErrorf("retry: the policy must be a map with predicate, max_retries and backoff (like ${http.default_retry}), got %s; a predicate goes under retry.predicate", value.TypeName(v))
		}
		fields = m
	} else {
		for name, t := range map[string]tmpl{"predicate": r.predicate, "max_retries": r.maxRetries, "backoff": r.backoff} {
			if t == nil {
				continue
			}
			v, err := t.eval(ctx, e)
			if err != nil {
				return nil, err
			}
			fields[name] = v
		}
	}
	p := &retryPolicy{}
	pred, ok := fields["predicate"].(*value.Func)
	if !ok {
		return nil, value.TypeErrorf("retry: predicate must be a function such as ${http.default_retry_predicate} or a subworkflow, got %s", value.TypeName(fields["predicate"]))
	}
	p.predicate = pred
	if p.maxRetries, ok = fields["max_retries"].(int64); !ok || p.maxRetries < 0 {
		return nil, value.TypeErrorf("retry: max_retries must be a non-negative integer, got %v", fields["max_retries"])
	}
	backoff := stdlib.DefaultBackoff()
	if b, ok := fields["backoff"]; ok && b != nil {
		bm, ok := b.(map[string]any)
		if !ok {
			return nil, value.TypeErrorf("retry: backoff must be a map, got %s", value.TypeName(b))
		}
		for k, v := range bm {
			backoff[k] = v
		}
	}
	for name, dst := range map[string]*float64{"initial_delay": &p.initialDelay, "max_delay": &p.maxDelay, "multiplier": &p.multiplier} {
		n, ok := value.ToFloat(backoff[name])
		if !ok || n < 0 {
			return nil, value.TypeErrorf("retry: backoff.%s must be a non-negative number, got %v", name, backoff[name])
		}
		*dst = n
	}
	return p, nil
}
