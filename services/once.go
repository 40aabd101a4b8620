package services

import (
	"context"
	"errors"
	"fmt"

	"github.com/pltv/pltv/tracking"
)

// Ledger remembers what was processed: CloudEvents by source and id, and any other key a service
// de-duplicates by (a finished job, a transfer run), with a lease while it is being handled.
// *tracking.Tracker implements it.
type Ledger interface {
	// ClaimEvent takes the lease on a key, or says that it was handled already or is being handled.
	ClaimEvent(ctx context.Context, source, id string) (tracking.Claim, error)
	// EventDone records a claimed key as handled.
	EventDone(ctx context.Context, source, id string) error
	// ForgetEvent removes it again, so that it counts as new next time.
	ForgetEvent(ctx context.Context, source, id string) error
}

// Once runs fn unless the key (source, id) was handled before, and reports whether it ran. While fn runs the
// key is leased: a concurrent delivery of the same key gets an error wrapping tracking.ErrEventHeld, to be
// retried, so that if this process dies the work is not lost but taken over once the lease expires. When fn
// fails with an error a retry may fix, the key is forgotten, so that a redelivery runs fn again; when it
// succeeds or fails for good, the key is recorded as done.
func Once(ctx context.Context, l Ledger, source, id string, fn func() error) (ran bool, err error) {
	claim, err := l.ClaimEvent(ctx, source, id)
	if err != nil {
		return false, fmt.Errorf("de-duplicate %s %s: %w", source, id, err)
	}
	switch claim {
	case tracking.ClaimDone:
		return false, nil
	case tracking.ClaimHeld:
		return false, fmt.Errorf("%s %s: %w", source, id, tracking.ErrEventHeld)
	}
	err = fn()
	ctx = context.WithoutCancel(ctx)
	if err != nil && !IsPermanent(err) {
		if ferr := l.ForgetEvent(ctx, source, id); ferr != nil {
			return true, fmt.Errorf("%w (and forgetting %s %s failed: %v)", err, source, id, ferr)
		}
		return true, err
	}
	if derr := l.EventDone(ctx, source, id); derr != nil {
		return true, errors.Join(err, derr)
	}
	return true, err
}
