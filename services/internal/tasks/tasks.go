// Package tasks is what the throttled services and the task poller agree on: the kinds of queued tasks,
// their payload, and the queue and runner interfaces.
package tasks

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/tracking"
)

// Kinds of tasks in the long_running_tasks queue.
const (
	KindPrepare = "prepare" // a throttled prepare (DELAY_PREPARE_DAILY_IN_SECONDS)
	KindPredict = "predict" // a throttled start of the daily workflow (DELAY_PREDICT_TRANSACTIONS_IN_SECONDS)
)

// Queue enqueues tasks. *tracking.Tracker implements it.
type Queue interface {
	Enqueue(ctx context.Context, spec tracking.TaskSpec) (tracking.Task, error)
}

// Runner runs the tasks of one kind for the poller.
type Runner interface {
	// RunTask runs a due task. nil completes it; a permanent error (services.IsPermanent) fails it; any
	// other error gives it back to the queue for a later poll.
	RunTask(ctx context.Context, t tracking.Task) error
	// ExpireTask is the error path of a task discarded for its age.
	ExpireTask(ctx context.Context, t tracking.Task) error
}

// Payload is the message of a queued stage: the run date and what caused it.
type Payload struct {
	Date  string `json:"date"`
	Cause string `json:"cause,omitempty"` // the transfer run or job the stage follows
}

// Encode returns the payload in JSON.
func (p Payload) Encode() []byte {
	b, _ := json.Marshal(p) // two strings always encode
	return b
}

// DecodePayload reads a task's payload and checks its date.
func DecodePayload(t tracking.Task) (Payload, error) {
	var p Payload
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return Payload{}, fmt.Errorf("task %s: payload: %w", t.ID, err)
	}
	if err := events.CheckDate(p.Date); err != nil {
		return Payload{}, fmt.Errorf("task %s: %w", t.ID, err)
	}
	return p, nil
}
