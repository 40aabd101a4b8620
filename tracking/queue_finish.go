package tracking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrLeaseLost is returned when a poller finishes a task it no longer holds: its lease ended and another
// poller claimed the task, or the task was finished already.
var ErrLeaseLost = errors.New("task lease lost")

// Complete finishes a claimed task as done.
func (t *Tracker) Complete(ctx context.Context, task Task) error {
	return t.finish(ctx, "complete", task, func(k *Task, now time.Time) {
		k.Status, k.Finished = StatusDone, now
	})
}

// Fail finishes a claimed task as failed, keeping the reason.
func (t *Tracker) Fail(ctx context.Context, task Task, reason string) error {
	return t.finish(ctx, "fail", task, func(k *Task, now time.Time) {
		k.Status, k.Finished, k.Error = StatusFailed, now, reason
	})
}

// Postpone gives a claimed task back to the queue, due again after delay: the poller's answer when the
// operation it polls is not done yet, or when a retry can fix what went wrong.
func (t *Tracker) Postpone(ctx context.Context, task Task, delay time.Duration) error {
	if delay < 0 {
		return fmt.Errorf("postpone task %s: negative delay %v", task.ID, delay)
	}
	return t.finish(ctx, "postpone", task, func(k *Task, now time.Time) {
		k.Status, k.Due = StatusPending, storedTime(now.Add(delay))
	})
}

// finish applies change to a task the caller holds, if the claim's token still matches.
func (t *Tracker) finish(ctx context.Context, op string, held Task, change func(*Task, time.Time)) error {
	if held.ID == "" {
		return fmt.Errorf("%s task: %w", op, ErrLeaseLost)
	}
	now := t.now()
	err := t.modify(ctx, t.names.Of(KindTasks), held.ID, func(cur *Doc) (Fields, error) {
		if cur == nil {
			return nil, ErrLeaseLost
		}
		task, prob := decodeTask(*cur)
		if prob != nil {
			return nil, fmt.Errorf("malformed task %s", prob)
		}
		if task.Status != StatusClaimed || held.Token == "" || task.Token != held.Token {
			return nil, ErrLeaseLost
		}
		change(&task, now)
		task.Token, task.LeaseUntil = "", time.Time{}
		return task.fields(), nil
	})
	if err != nil {
		return fmt.Errorf("%s task %s: %w", op, held.ID, err)
	}
	return nil
}

// Tasks returns every task of the queue, by id.
func (t *Tracker) Tasks(ctx context.Context) ([]Task, []Problem, error) {
	return listAll(ctx, t, t.names.Of(KindTasks), "list tasks", decodeTask)
}
