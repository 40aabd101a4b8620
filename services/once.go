package services

import (
	"context"
	"fmt"
)

// Ledger remembers what was processed: CloudEvents by source and id, and any other key a service
// de-duplicates by (a finished job, a transfer run). *tracking.Tracker implements it.
type Ledger interface {
	// FirstSeen records a key and reports whether it is new.
	FirstSeen(ctx context.Context, source, id string) (bool, error)
	// ForgetEvent removes it again, so that it counts as new next time.
	ForgetEvent(ctx context.Context, source, id string) error
}

// Once runs fn unless the key (source, id) was recorded before, and reports whether it ran. When fn fails
// with an error a retry may fix, the key is forgotten, so that a redelivery runs fn again.
func Once(ctx context.Context, l Ledger, source, id string, fn func() error) (ran bool, err error) {
	first, err := l.FirstSeen(ctx, source, id)
	if err != nil {
		return false, fmt.Errorf("de-duplicate %s %s: %w", source, id, err)
	}
	if !first {
		return false, nil
	}
	err = fn()
	if err != nil && !IsPermanent(err) {
		if ferr := l.ForgetEvent(context.WithoutCancel(ctx), source, id); ferr != nil {
			return true, fmt.Errorf("%w (and forgetting %s %s failed: %v)", err, source, id, ferr)
		}
	}
	return true, err
}
