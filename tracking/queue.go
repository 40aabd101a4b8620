package tracking

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// Enqueue queues a task, due after spec.Delay. With spec.ID set, enqueueing the same id again returns the task
// already queued, so a redelivered event does not queue its work twice.
func (t *Tracker) Enqueue(ctx context.Context, spec TaskSpec) (Task, error) {
	if err := spec.validate(); err != nil {
		return Task{}, fmt.Errorf("enqueue: %w", err)
	}
	id := uuid.NewString()
	if spec.ID != "" {
		id = DocID(spec.ID)
	}
	now := t.now()
	task := Task{
		ID: id, Kind: spec.Kind, Date: spec.Date, Payload: spec.Payload, Operation: spec.Operation,
		OnSuccess: spec.OnSuccess, OnError: spec.OnError, Status: StatusPending,
		Inserted: now, Due: storedTime(now.Add(spec.Delay)),
	}
	coll := t.names.Of(KindTasks)
	err := t.store.Create(ctx, coll, id, task.fields())
	if errors.Is(err, ErrExists) {
		doc, err := t.store.Get(ctx, coll, id)
		if err != nil {
			return Task{}, fmt.Errorf("enqueue %s again: %w", id, err)
		}
		existing, prob := decodeTask(doc)
		if prob != nil {
			return Task{}, fmt.Errorf("enqueue %s again: %s", id, prob.Reason)
		}
		return existing, nil
	}
	if err != nil {
		return Task{}, fmt.Errorf("enqueue %s: %w", spec.Kind, err)
	}
	return task, nil
}

func (s TaskSpec) validate() error {
	if s.Kind == "" {
		return fmt.Errorf("task without a kind")
	}
	if s.Delay < 0 {
		return fmt.Errorf("task %s: negative delay %v", s.Kind, s.Delay)
	}
	for _, d := range []Destination{s.OnSuccess, s.OnError} {
		if d == (Destination{}) {
			continue
		}
		if (d.Kind != ToTopic && d.Kind != ToService) || d.Name == "" {
			return fmt.Errorf("task %s: destination %+v is not a named topic or service", s.Kind, d)
		}
	}
	return nil
}
