package model

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	modelport "github.com/pltv/pltv/model"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/cloudlog"
	"github.com/pltv/pltv/services/internal/httpjson"
	"github.com/pltv/pltv/services/internal/idle"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
)

// Tracker is the prediction tracking the service reads and marks. *tracking.Tracker implements it.
type Tracker interface {
	idle.Activity
	StartPrediction(ctx context.Context, id, date string) error
	FinishPrediction(ctx context.Context, id string, failure error) error
}

// Config wires a Service.
type Config struct {
	WH       warehouse.Warehouse // where the metadata table is
	LTV      warehouse.Dataset
	Models   pipeline.Models // nil: every action answers 503
	Tracker  Tracker
	Wait     time.Duration                   // STOP_MODEL_WAITING_MINUTES
	PostStop func(ctx context.Context) error // hooks.Hooks.PostStop
	Zone     *time.Location                  // TIMEZONE: what "today" is; UTC when nil
	Now      func() time.Time
	Log      *slog.Logger
}

// Service is the model service.
type Service struct {
	c    Config
	rule idle.Rule
}

// New returns the model service.
func New(c Config) (*Service, error) {
	if c.WH == nil || c.Tracker == nil || c.Log == nil {
		return nil, errors.New("model service: WH, Tracker and Log are required")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Zone == nil {
		c.Zone = time.UTC
	}
	return &Service{c: c, rule: idle.Rule{Activity: c.Tracker, Wait: c.Wait, PostStop: c.PostStop, Now: c.Now, Log: c.Log}}, nil
}

// Request is the body the workflow sends.
type Request struct {
	Action string `json:"action"`
	Date   string `json:"date"`
}

// StateAnswer answers deploy and state.
type StateAnswer struct {
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
	Model  string `json:"model,omitempty"`
	Date   string `json:"date"`
}

// ErrUnavailable is answered 503: no model driver is wired.
var ErrUnavailable = modelport.Retryable(errors.New("no model driver is wired"))

// ServeHTTP is the HTTP function.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req Request
	if err := httpjson.Decode(r, &req); err != nil {
		httpjson.Error(w, r, s.c.Log, err)
		return
	}
	ctx := r.Context()
	if req.Date != "" {
		ctx = cloudlog.WithDate(ctx, req.Date)
		r = r.WithContext(ctx)
	}
	var answer any
	var err error
	switch req.Action {
	case "deploy":
		answer, err = s.Deploy(ctx, req.Date)
	case "state":
		answer, err = s.State(ctx, req.Date)
	case "stop":
		answer, err = s.Stop(ctx, req.Date)
	default:
		err = fmt.Errorf("%w: unknown action %q (deploy, state, stop)", httpjson.ErrBadRequest, req.Action)
	}
	if err != nil {
		httpjson.Error(w, r, s.c.Log, err)
		return
	}
	httpjson.Write(w, http.StatusOK, answer)
}

// open opens the model the metadata table selects for date.
func (s *Service) open(ctx context.Context, date string) (modelport.Model, pipeline.Model, error) {
	if err := httpjson.Date(date); err != nil {
		return nil, pipeline.Model{}, err
	}
	if s.c.Models == nil {
		return nil, pipeline.Model{}, ErrUnavailable
	}
	sel, err := pipeline.SelectModel(ctx, s.c.WH, s.c.LTV, date)
	if err != nil {
		return nil, pipeline.Model{}, fmt.Errorf("model for %s: %w", date, err)
	}
	m, err := s.c.Models.Open(ctx, sel)
	if err != nil {
		return nil, sel, fmt.Errorf("open model %s: %w", sel.Name, err)
	}
	return m, sel, nil
}

// Deploy starts deploying the model of date (nothing when it is deployed or deploying) and marks prediction
// activity.
func (s *Service) Deploy(ctx context.Context, date string) (StateAnswer, error) {
	m, sel, err := s.open(ctx, date)
	if err != nil {
		return StateAnswer{}, err
	}
	mark := "deploy_" + date
	if err := s.c.Tracker.StartPrediction(ctx, mark, date); err != nil {
		return StateAnswer{}, err
	}
	if err := s.c.Tracker.FinishPrediction(ctx, mark, nil); err != nil {
		return StateAnswer{}, err
	}
	if err := m.Deploy(ctx); err != nil {
		return StateAnswer{}, fmt.Errorf("deploy model %s: %w", sel.Name, err)
	}
	a, err := s.state(ctx, m, sel, date)
	if err == nil {
		s.c.Log.InfoContext(ctx, "model deploy requested", "model", sel.Name, "state", a.State)
	}
	return a, err
}

// State reports the state of the model of date.
func (s *Service) State(ctx context.Context, date string) (StateAnswer, error) {
	m, sel, err := s.open(ctx, date)
	if err != nil {
		return StateAnswer{}, err
	}
	return s.state(ctx, m, sel, date)
}

func (s *Service) state(ctx context.Context, m modelport.Model, sel pipeline.Model, date string) (StateAnswer, error) {
	st, err := m.State(ctx)
	if err != nil {
		return StateAnswer{}, fmt.Errorf("state of model %s: %w", sel.Name, err)
	}
	return StateAnswer{State: st.State.String(), Reason: st.Reason, Model: sel.Name, Date: date}, nil
}

// Stop undeploys the model of date (of today when date is empty) if it is idle.
func (s *Service) Stop(ctx context.Context, date string) (idle.Answer, error) {
	if date == "" {
		date = s.c.Now().In(s.c.Zone).Format(pipeline.DateLayout)
		ctx = cloudlog.WithDate(ctx, date)
	}
	m, _, err := s.open(ctx, date)
	if err != nil {
		return idle.Answer{}, err
	}
	a, err := s.rule.StopIfIdle(ctx, m)
	if err != nil && a.Stopped {
		// The model is down; only the hook failed, which a second stop would not run again.
		return a, services.Permanent(err)
	}
	return a, err
}

var _ Tracker = (*tracking.Tracker)(nil)
