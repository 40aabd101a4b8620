package tracking

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
)

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
// poller only; it comes back to the queue when its lease ends unfinished. Due tasks older than
// Options.DiscardTasksAfter are expired instead, and malformed ones taken out of the queue, neither counting
// against max.
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
		if err := t.claimSome(ctx, docs, max, now, &res); err != nil {
			return res, fmt.Errorf("poll tasks: %w", err)
		}
		if len(docs) < limit {
			break
		}
	}
	report(ctx, t.opts.Logger, "poll tasks", res.Problems...)
	return res, nil
}

// claimSome claims candidates until res holds max claimed tasks or the candidates run out. It claims as many
// at once as are still wanted, so a poll costs a few round trips, not one per task; when another poller took
// some, it tries the rest in random order rather than queue behind it. Without contention the oldest due go
// first.
func (t *Tracker) claimSome(ctx context.Context, docs []Doc, max int, now time.Time, res *PollResult) error {
	contended := false
	for len(docs) > 0 && len(res.Claimed) < max {
		if contended {
			rand.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
		}
		wave := docs[:min(max-len(res.Claimed), len(docs))]
		docs = docs[len(wave):]
		outcomes := make([]claimOutcome, len(wave))
		errs := make([]error, len(wave))
		var wg sync.WaitGroup
		for i, d := range wave {
			wg.Go(func() { outcomes[i], errs[i] = t.claim(ctx, d, now) })
		}
		wg.Wait()
		for i, o := range outcomes {
			switch err := errs[i]; {
			case errors.Is(err, ErrConflict):
				contended = true // another poller took it first
			case err != nil:
				return fmt.Errorf("claim %s: %w", wave[i].ID, err)
			case o.problem != nil:
				res.Problems = append(res.Problems, *o.problem)
			case o.task.Status == StatusClaimed:
				res.Claimed = append(res.Claimed, o.task)
			case o.task.Status == StatusExpired:
				res.Expired = append(res.Expired, o.task)
			}
		}
	}
	return nil
}

// claimOutcome is what claim did to one task: claimed or expired it (task), or took it out of the queue
// (problem).
type claimOutcome struct {
	task    Task
	problem *Problem
}

// claim takes one due task, as the query read it, with a conditional write: if another poller changed it
// since, the write fails with ErrConflict and the task is left to that poller.
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
