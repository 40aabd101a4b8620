package tracking

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"time"

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

// PollResult is what one Poll did.
type PollResult struct {
	Claimed  []Task    // handed to this poller until their lease ends; finish each with Complete, Fail or Postpone
	Expired  []Task    // too old: marked expired, to be sent to their OnError destination
	Problems []Problem // documents of an unknown shape, taken out of the queue
}

// pollRounds bounds the queries of one Poll when concurrent pollers take its candidates.
const pollRounds = 3

// Poll claims up to max due tasks (Options.MaxTasksPerPoll when max ≤ 0), oldest due first. Each claim is a
// conditional write on the task as the poll read it (a single-document transaction), so a task goes to one
// poller only; it comes back to the queue when its lease ends unfinished.
// Due tasks older than Options.DiscardTasksAfter are expired instead, and malformed ones taken out of the
// queue, neither counting against max.
func (t *Tracker) Poll(ctx context.Context, max int) (PollResult, error) {
	if max <= 0 {
		max = t.opts.MaxTasksPerPoll
	}
	var res PollResult
	now := t.now()
	for round := 0; round < pollRounds && len(res.Claimed) < max; round++ {
		limit := 2 * max
		docs, err := t.store.Query(ctx, Query{
			Collection: t.names.Of(KindTasks),
			Filters:    []Filter{{Field: fVisible, Op: OpLe, Value: now}},
			OrderBy:    fVisible, Limit: limit,
		})
		if err != nil {
			return res, fmt.Errorf("poll tasks: %w", err)
		}
		contended := false
		for i := 0; i < len(docs) && len(res.Claimed) < max; i++ {
			if contended {
				// Other pollers work down the same list: try the rest in random order rather than queue
				// behind them. Without contention the oldest due go first.
				j := i + rand.IntN(len(docs)-i)
				docs[i], docs[j] = docs[j], docs[i]
			}
			d := docs[i]
			o, err := t.claim(ctx, d, now)
			if errors.Is(err, ErrConflict) {
				contended = true // another poller took it first
				continue
			}
			if err != nil {
				return res, fmt.Errorf("poll tasks: claim %s: %w", d.ID, err)
			}
			switch {
			case o.problem != nil:
				res.Problems = append(res.Problems, *o.problem)
			case o.task.Status == StatusClaimed:
				res.Claimed = append(res.Claimed, o.task)
			case o.task.Status == StatusExpired:
				res.Expired = append(res.Expired, o.task)
			}
		}
		if len(docs) < limit {
			break
		}
	}
	report(ctx, t.opts.Logger, "poll tasks", res.Problems...)
	return res, nil
}

// claimOutcome is what claim did to one task: claimed or expired it (task), took it out of the queue
// (problem), or nothing, when another poller took it first.
type claimOutcome struct {
	task    Task
	problem *Problem
}

// claim takes one due task, as the query read it, with a conditional write: if another poller changed it
// since, the write fails and the task is left to that poller.
func (t *Tracker) claim(ctx context.Context, doc Doc, now time.Time) (claimOutcome, error) {
	var out claimOutcome
	var fields Fields
	task, prob := decodeTask(doc)
	switch {
	case prob != nil:
		out.problem = prob
		fields = maps.Clone(doc.Fields)
		delete(fields, fVisible)
		fields[fProblem] = prob.Reason
	case !task.Inserted.Add(t.opts.DiscardTasksAfter).After(now):
		task.Status, task.Finished, task.Token, task.LeaseUntil = StatusExpired, now, "", time.Time{}
		task.Error = fmt.Sprintf("expired: inserted %s, more than %v before %s",
			task.Inserted.Format(timeFormat), t.opts.DiscardTasksAfter, now.Format(timeFormat))
		out.task, fields = task, task.fields()
	default:
		task.Status, task.Claimed, task.Attempts = StatusClaimed, now, task.Attempts+1
		task.LeaseUntil, task.Token = storedTime(now.Add(t.opts.Lease)), uuid.NewString()
		out.task, fields = task, task.fields()
	}
	if err := t.store.Replace(ctx, doc, fields); err != nil {
		return claimOutcome{}, err
	}
	return out, nil
}
