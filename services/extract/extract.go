// Package extract is the extract trigger, the HTTP function "extract": Cloud Scheduler calls it on
// DATA_SOURCE_DAILY_TX_POLLER_CONFIG, and a backfill calls it with dates. It starts the scheduled extract
// query for each run date through a Starter (the BigQuery Data Transfer Service in the cloud, package
// datatransfer; the embedded runtime's extract locally); the run's TRANSFER_RUN_FINISHED notification then
// reaches the prepare service.
//
//	(empty body, or {})              → the run date is today in TIMEZONE (a scheduler tick)
//	{"date":"YYYYMMDD"}              → that date
//	{"from":"YYYYMMDD","to":"YYYYMMDD"} → every date of the range, both ends included
//
// It answers {"runs":[{"date","run"}]} (with "date" and "run" at the top too when there is one date, as
// the backfill workflow reads them), 400 for a body that is none of these.
package extract

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services/internal/httpjson"
)

// Starter starts scheduled extract runs.
type Starter interface {
	// StartRuns starts one run per date and returns without waiting for them.
	StartRuns(ctx context.Context, dates []string) ([]Run, error)
}

// Run is a started extract run.
type Run struct {
	Date string `json:"date"`
	Name string `json:"run"` // the transfer run's resource name
}

// MaxDates bounds the dates of one request (a year and a bit).
const MaxDates = 400

// Request is the body of a call.
type Request struct {
	Date string `json:"date"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Answer lists the started runs.
type Answer struct {
	Runs []Run  `json:"runs"`
	Date string `json:"date,omitempty"` // the date and run of a one-date request
	Run  string `json:"run,omitempty"`
}

// Service is the extract trigger.
type Service struct {
	starter Starter
	zone    *time.Location
	now     func() time.Time
	log     *slog.Logger
}

// New returns the extract trigger. zone is TIMEZONE (UTC when nil); now is the clock (time.Now when nil).
func New(s Starter, zone *time.Location, now func() time.Time, log *slog.Logger) (*Service, error) {
	if s == nil || log == nil {
		return nil, errors.New("extract service: starter and log are required")
	}
	if zone == nil {
		zone = time.UTC
	}
	if now == nil {
		now = time.Now
	}
	return &Service{starter: s, zone: zone, now: now, log: log}, nil
}

// ServeHTTP is the HTTP function.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req Request
	if err := httpjson.Decode(r, &req); err != nil {
		httpjson.Error(w, r, s.log, err)
		return
	}
	dates, err := s.Dates(req)
	if err != nil {
		httpjson.Error(w, r, s.log, err)
		return
	}
	runs, err := s.starter.StartRuns(r.Context(), dates)
	if err != nil {
		httpjson.Error(w, r, s.log, fmt.Errorf("start extract runs: %w", err))
		return
	}
	for _, run := range runs {
		s.log.InfoContext(r.Context(), "extract started", "stage", pipeline.StageExtract, "date", run.Date, "run", run.Name)
	}
	a := Answer{Runs: runs}
	if len(runs) == 1 {
		a.Date, a.Run = runs[0].Date, runs[0].Name
	}
	httpjson.Write(w, http.StatusOK, a)
}

// Dates returns the run dates a request names.
func (s *Service) Dates(req Request) ([]string, error) {
	switch {
	case req.Date != "" && (req.From != "" || req.To != ""):
		return nil, fmt.Errorf("%w: give date, or from and to, not both", httpjson.ErrBadRequest)
	case req.Date != "":
		if err := httpjson.Date(req.Date); err != nil {
			return nil, err
		}
		return []string{req.Date}, nil
	case req.From != "" || req.To != "":
		if a, b, err := parseRange(req.From, req.To); err == nil && b.Sub(a) >= MaxDates*24*time.Hour {
			return nil, fmt.Errorf("%w: %s..%s has more than %d dates", httpjson.ErrBadRequest, req.From, req.To, MaxDates)
		}
		dates, err := pipeline.Dates(req.From, req.To)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", httpjson.ErrBadRequest, err)
		}
		return dates, nil
	}
	return []string{s.now().In(s.zone).Format(pipeline.DateLayout)}, nil
}

func parseRange(from, to string) (time.Time, time.Time, error) {
	a, err := pipeline.ParseDate(from)
	if err != nil {
		return a, a, err
	}
	b, err := pipeline.ParseDate(to)
	return a, b, err
}
