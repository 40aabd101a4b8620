package idle

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/tracking"
)

type activity tracking.Activity

func (a activity) PredictionActivity(context.Context) (tracking.Activity, []tracking.Problem, error) {
	return tracking.Activity(a), nil, nil
}

// stubModel is in a fixed state and counts Undeploy calls.
type stubModel struct {
	model.Model
	state     model.State
	undeploys int
}

func (m *stubModel) State(context.Context) (model.Status, error) {
	return model.Status{State: m.state}, nil
}
func (m *stubModel) Undeploy(context.Context) error { m.undeploys++; return nil }

// TestStopSweepsWhatElseIsDeployed: when the date's model is not deployed, an idle stop still calls
// Undeploy, which on Vertex AI takes off the other models an endpoint serves (each bills); it does not
// when predictions are in flight or a change is under way.
func TestStopSweepsWhatElseIsDeployed(t *testing.T) {
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		state     model.State
		act       activity
		undeploys int
		stopped   bool
	}{
		{"deployed and idle", model.Deployed, activity{}, 1, true},
		{"undeployed and idle", model.Undeployed, activity{}, 1, false},
		{"failed and idle", model.Failed, activity{}, 1, false},
		{"undeployed, another date predicting", model.Undeployed, activity{InFlight: 1, OldestInFlight: now}, 0, false},
		{"undeployed, recent activity", model.Undeployed, activity{Last: now.Add(-time.Minute)}, 0, false},
		{"undeploying", model.Undeploying, activity{}, 0, false},
		{"deploying", model.Deploying, activity{}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &stubModel{state: tc.state}
			r := Rule{Activity: tc.act, Wait: 30 * time.Minute, Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler)}
			a, err := r.StopIfIdle(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if m.undeploys != tc.undeploys || a.Stopped != tc.stopped {
				t.Errorf("undeploys %d, stopped %v; want %d, %v (%+v)", m.undeploys, a.Stopped, tc.undeploys, tc.stopped, a)
			}
		})
	}
}
