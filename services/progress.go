package services

import (
	"context"
)

// Outcome is what a service did for a run date.
type Outcome string

// Outcomes. Done, Skipped and Failed end a date's flow at that stage; Started (the daily workflow, for the
// predict stage) hands it to the workflow; Waiting and Queued say it will go on later.
const (
	Started Outcome = "started"
	Done    Outcome = "done"
	Skipped Outcome = "skipped"
	Failed  Outcome = "failed"
	Waiting Outcome = "waiting" // the filter waits for an earlier prepare
	Queued  Outcome = "queued"  // throttled: the stage waits in the long_running_tasks queue
)

// Step is one outcome of one stage for one run date.
type Step struct {
	Date    string
	Stage   string
	Outcome Outcome
	Reason  string // why it was skipped, failed, is waiting or queued
}

// Final reports whether the services are done with the date: it failed or was skipped at some stage, or
// the daily workflow was started for it.
func (s Step) Final() bool {
	switch s.Outcome {
	case Failed, Skipped, Started:
		return true
	}
	return false
}

// Progress receives the steps the services take. The embedded runtime follows a backfill with it; in the
// cloud the logs (one date is one filter on the date field) and the workflow executions say the same.
type Progress interface {
	Report(ctx context.Context, s Step)
}

// NoProgress discards the steps.
type NoProgress struct{}

// Report does nothing.
func (NoProgress) Report(context.Context, Step) {}
