package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/pltv/pltv/model"
)

// Backoff is how model calls are retried on retryable errors: Attempts calls in all, the wait doubling from
// Initial up to Max.
type Backoff struct {
	Attempts int
	Initial  time.Duration
	Max      time.Duration
	// Sleep waits for d or until ctx ends; nil sleeps on the wall clock. Tests inject one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultBackoff retries a model call 5 times over about half a minute.
var DefaultBackoff = Backoff{Attempts: 6, Initial: time.Second, Max: 16 * time.Second}

func (b Backoff) withDefaults() Backoff {
	if b.Attempts <= 0 {
		b.Attempts = DefaultBackoff.Attempts
	}
	if b.Initial <= 0 {
		b.Initial = DefaultBackoff.Initial
	}
	if b.Max <= 0 {
		b.Max = DefaultBackoff.Max
	}
	if b.Sleep == nil {
		b.Sleep = sleep
	}
	return b
}

// do calls fn until it succeeds, fails with an error that is not retryable, or runs out of attempts.
func (b Backoff) do(ctx context.Context, fn func() error) error {
	b = b.withDefaults()
	wait := b.Initial
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !model.IsRetryable(err) {
			return err
		}
		if attempt >= b.Attempts {
			return fmt.Errorf("after %d attempts: %w", attempt, err)
		}
		if serr := b.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (retrying after: %w)", serr, err)
		}
		wait = min(wait*2, b.Max)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
