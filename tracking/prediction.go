package tracking

import (
	"context"
	"fmt"
	"time"
)

// Prediction is one prediction job (a batch of rows, or a batch prediction) tracked in
// <prefix>_prediction_tracking while it runs and after.
type Prediction struct {
	ID       string // the caller's key, e.g. the date and batch number
	Date     string
	Status   Status // StatusRunning, StatusDone or StatusFailed
	Started  time.Time
	Finished time.Time
	Error    string
}

// Activity is what the model stopper reads: how many predictions are in flight, since when the oldest one
// runs, and when any prediction last started or ended (zero when none ever did).
type Activity struct {
	InFlight       int
	OldestInFlight time.Time
	Last           time.Time
}

// Fields of a prediction document besides date, status, started, finished and error. running holds the
// start time only while the prediction runs; activity is its last change.
const (
	fID       = "id"
	fRunning  = "running"
	fActivity = "activity"
)

// StartPrediction records that a prediction job is in flight.
func (t *Tracker) StartPrediction(ctx context.Context, id, date string) error {
	if id == "" {
		return fmt.Errorf("start prediction: empty id")
	}
	now := t.now()
	fields := Fields{fID: id, fDate: date, fStatus: string(StatusRunning), fStarted: now, fRunning: now, fActivity: now}
	if err := t.store.Set(ctx, t.names.Of(KindPrediction), DocID(id), fields); err != nil {
		return fmt.Errorf("start prediction %s: %w", id, err)
	}
	return nil
}

// FinishPrediction records that a prediction job ended, failed when failure is not nil.
func (t *Tracker) FinishPrediction(ctx context.Context, id string, failure error) error {
	if id == "" {
		return fmt.Errorf("finish prediction: empty id")
	}
	now := t.now()
	err := t.modify(ctx, t.names.Of(KindPrediction), DocID(id), func(cur *Doc) (Fields, error) {
		fields := Fields{fID: id, fDate: "", fStarted: now}
		if cur != nil {
			if p, prob := decodePrediction(*cur); prob == nil {
				fields[fDate], fields[fStarted] = p.Date, p.Started
			}
		}
		fields[fStatus], fields[fFinished], fields[fActivity] = string(StatusDone), now, now
		if failure != nil {
			fields[fStatus], fields[fError] = string(StatusFailed), failure.Error()
		}
		return fields, nil
	})
	if err != nil {
		return fmt.Errorf("finish prediction %s: %w", id, err)
	}
	return nil
}

// PredictionActivity returns the in-flight count and the time of the last activity.
func (t *Tracker) PredictionActivity(ctx context.Context) (Activity, []Problem, error) {
	coll := t.names.Of(KindPrediction)
	inFlight, err := t.store.Query(ctx, Query{
		Collection: coll,
		Filters:    []Filter{{Field: fRunning, Op: OpGe, Value: time.Time{}}},
		OrderBy:    fRunning,
	})
	if err != nil {
		return Activity{}, nil, fmt.Errorf("prediction activity: %w", err)
	}
	last, err := t.store.Query(ctx, Query{
		Collection: coll,
		Filters:    []Filter{{Field: fActivity, Op: OpGe, Value: time.Time{}}},
		OrderBy:    fActivity, Desc: true, Limit: 1,
	})
	if err != nil {
		return Activity{}, nil, fmt.Errorf("prediction activity: %w", err)
	}
	var a Activity
	var problems []Problem
	for _, d := range inFlight {
		p, prob := decodePrediction(d)
		if prob != nil {
			problems = append(problems, *prob)
			continue
		}
		if a.InFlight == 0 {
			a.OldestInFlight = p.Started
		}
		a.InFlight++
	}
	if len(last) == 1 {
		a.Last, _ = last[0].Fields[fActivity].(time.Time) // the filter admits timestamps only
	}
	report(ctx, t.opts.Logger, "prediction activity", problems...)
	return a, problems, nil
}

// Predictions returns every tracked prediction job, by document id.
func (t *Tracker) Predictions(ctx context.Context) ([]Prediction, []Problem, error) {
	return listAll(ctx, t, t.names.Of(KindPrediction), "list predictions", decodePrediction)
}

func decodePrediction(d Doc) (Prediction, *Problem) {
	r := newReader(d)
	p := Prediction{
		ID:       r.str(fID, true),
		Date:     r.str(fDate, false),
		Status:   Status(r.str(fStatus, true)),
		Started:  r.time(fStarted, true),
		Finished: r.time(fFinished, false),
		Error:    r.str(fError, false),
	}
	running := r.time(fRunning, false)
	r.time(fActivity, true)
	r.oneOf(fStatus, string(p.Status), string(StatusRunning), string(StatusDone), string(StatusFailed))
	if (p.Status == StatusRunning) != !running.IsZero() {
		r.fail("field %q is %v for status %q", fRunning, running, p.Status)
	}
	return p, r.problem()
}
