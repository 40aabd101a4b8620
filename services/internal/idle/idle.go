// Package idle is the stop-if-idle rule the model service and the model stopper share: undeploy the model
// only when prediction tracking shows nothing in flight and no activity for STOP_MODEL_WAITING_MINUTES, then
// run the post-stop hook.
package idle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/tracking"
)

// Activity is what prediction tracking says. *tracking.Tracker implements it.
type Activity interface {
	PredictionActivity(ctx context.Context) (tracking.Activity, []tracking.Problem, error)
}

// Rule decides and stops.
type Rule struct {
	Activity Activity
	Wait     time.Duration                   // STOP_MODEL_WAITING_MINUTES
	PostStop func(ctx context.Context) error // hooks.Hooks.PostStop; nil: none
	Now      func() time.Time
	Log      *slog.Logger
}

// Answer is what a stop did, as the model service answers it.
type Answer struct {
	Stopped      bool      `json:"stopped"`
	State        string    `json:"state"`
	Reason       string    `json:"reason"`
	InFlight     int       `json:"in_flight"`
	LastActivity time.Time `json:"last_activity,omitzero"`
}

// StopIfIdle undeploys m when it is deployed and idle, and runs the post-stop hook after. A model that is
// not deployed has Undeploy called all the same when all is idle, for a driver whose endpoint may serve
// other models (Vertex AI); one still deploying or undeploying is left as it is. An error of the post-stop hook is returned with the
// answer: the model is stopped all the same.
func (r Rule) StopIfIdle(ctx context.Context, m model.Model) (Answer, error) {
	act, _, err := r.Activity.PredictionActivity(ctx)
	if err != nil {
		return Answer{}, fmt.Errorf("stop model: %w", err)
	}
	a := Answer{InFlight: act.InFlight, LastActivity: act.Last.UTC()}
	st, err := m.State(ctx)
	if err != nil {
		return Answer{}, fmt.Errorf("stop model: state: %w", err)
	}
	a.State = st.State.String()
	now := r.Now()
	switch {
	case st.State == model.Deploying || st.State == model.Undeploying:
		a.Reason = "the model is " + a.State
		return a, nil
	case act.InFlight > 0:
		a.Reason = fmt.Sprintf("%d predictions in flight, the oldest since %s", act.InFlight, act.OldestInFlight.UTC().Format(time.RFC3339))
		return a, nil
	case !act.Last.IsZero() && now.Sub(act.Last) < r.Wait:
		a.Reason = fmt.Sprintf("last prediction activity %s ago, less than %v", now.Sub(act.Last).Round(time.Second), r.Wait)
		return a, nil
	case st.State != model.Deployed:
		// Nothing of this model serves, but the endpoint may still serve another (the previous model, one
		// a backfill used), which bills as long as it is deployed: Undeploy takes those off too.
		a.Reason = "the model is " + a.State
		if err := m.Undeploy(ctx); err != nil && !errors.Is(err, model.ErrBusy) {
			return a, fmt.Errorf("stop model: undeploy what else is deployed: %w", err)
		}
		if st, err := m.State(ctx); err == nil {
			a.State = st.State.String()
		}
		return a, nil
	}
	if err := m.Undeploy(ctx); err != nil {
		if errors.Is(err, model.ErrBusy) {
			a.Reason = "a deployment change is in progress"
			return a, nil
		}
		return a, fmt.Errorf("stop model: undeploy: %w", err)
	}
	a.Stopped = true
	a.Reason = "no prediction in flight"
	if !act.Last.IsZero() {
		a.Reason += fmt.Sprintf(" and none for %s", now.Sub(act.Last).Round(time.Second))
	}
	if st, err := m.State(ctx); err == nil {
		a.State = st.State.String()
	} else {
		a.State = model.Undeploying.String()
	}
	r.Log.InfoContext(ctx, "model stopped", "reason", a.Reason, "state", a.State)
	if r.PostStop != nil {
		if err := r.PostStop(ctx); err != nil {
			return a, fmt.Errorf("stop model: post-stop hook: %w", err)
		}
	}
	return a, nil
}
