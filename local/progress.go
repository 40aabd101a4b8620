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

// StageCount is how many dates of a set are through one stage.
type StageCount struct {
	Stage string `json:"stage"`
	Done  int    `json:"done"`
}

// Through counts, stage by stage, the dates that are through it: a stage is through when the date reached a
// later one, or ended at it or before it (skipped or failed). A date handed to the daily workflow is through
// predict once workflowDone says its execution (the started step's reason) ended.
func (p *Progress) Through(dates []string, workflowDone func(id string) bool) []StageCount {
	out := make([]StageCount, len(stageTables))
	for i, st := range stageTables {
		out[i].Stage = st.stage
	}
	for _, d := range dates {
		n := p.through(d, workflowDone)
		for i := range min(n, len(out)) {
			out[i].Done++
		}
	}
	return out
}

// through returns how many stages of a date are through.
func (p *Progress) through(date string, workflowDone func(id string) bool) int {
	n := 0
	for _, s := range p.Steps(date) {
		k := stageIndex(s.Stage)
		if k < 0 {
			continue
		}
		switch s.Outcome {
		case services.Skipped, services.Failed:
			return len(stageTables)
		case services.Started:
			if workflowDone != nil && workflowDone(s.Reason) {
				return len(stageTables)
			}
			n = max(n, k)
		case services.Done:
			n = max(n, k+1)
		default: // waiting or queued at k: the stages before it are through
			n = max(n, k)
		}
	}
	return n
}

func stageIndex(stage string) int {
	for i, st := range stageTables {
		if st.stage == stage {
			return i
		}
	}
	return -1
}
