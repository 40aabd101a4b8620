package local

import (
	"context"
	"fmt"
	"sync"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/services"
)

// Progress records what the services did for each run date, so that a backfill can wait for its dates to
// get as far as they go: the daily workflow started, or a stage failed or skipped them.
type Progress struct {
	mu      sync.Mutex
	steps   map[string][]services.Step
	changed chan struct{} // closed and replaced on every step
}

// NewProgress returns an empty record.
func NewProgress() *Progress {
	return &Progress{steps: map[string][]services.Step{}, changed: make(chan struct{})}
}

// Report records a step (services.Progress).
func (p *Progress) Report(_ context.Context, s services.Step) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.steps[s.Date] = append(p.steps[s.Date], s)
	close(p.changed)
	p.changed = make(chan struct{})
}

// Steps returns the steps of a date, in the order they were reported.
func (p *Progress) Steps(date string) []services.Step {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]services.Step(nil), p.steps[date]...)
}

// Final returns the step that ended a date's flow, if one did.
func (p *Progress) Final(date string) (services.Step, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.steps[date] {
		if s.Final() {
			return s, true
		}
	}
	return services.Step{}, false
}

// Wait waits until every date has a final step, or ctx ends.
func (p *Progress) Wait(ctx context.Context, dates []string) error {
	for {
		p.mu.Lock()
		changed := p.changed
		p.mu.Unlock()
		missing := false
		for _, d := range dates {
			if _, ok := p.Final(d); !ok {
				missing = true
				break
			}
		}
		if !missing {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// dateOf returns the run date an event is about: a transfer run's logical date, or a job's date label.
func dateOf(e event.Event) (string, bool) {
	switch e.Type() {
	case events.TypeMessagePublished:
		if n, err := events.DecodeTransferRun(e); err == nil {
			return n.Run.RunDate(), true
		}
	case events.TypeAuditLogWritten:
		if j, err := events.DecodeJobDone(e); err == nil {
			if d, err := j.RunDate(); err == nil {
				return d, true
			}
		}
	}
	return "", false
}

// Forget drops the steps of the dates, before they are run again.
func (p *Progress) Forget(dates []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range dates {
		delete(p.steps, d)
	}
}

// WaitFor waits until a date has a step with the outcome, or ctx ends.
func (p *Progress) WaitFor(ctx context.Context, date string, outcome services.Outcome) error {
	for {
		p.mu.Lock()
		changed := p.changed
		found := false
		for _, s := range p.steps[date] {
			found = found || s.Outcome == outcome
		}
		p.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("wait for %s %s: %w", date, outcome, ctx.Err())
		}
	}
}
