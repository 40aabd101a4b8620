// Package extract is the extract trigger, the HTTP function "extract": Cloud Scheduler calls it on
// DATA_SOURCE_DAILY_TX_POLLER_CONFIG, and a backfill calls it with dates. It starts the scheduled extract
// query for each run date through a Starter (the BigQuery Data Transfer Service in the cloud, package
// datatransfer; the embedded runtime's extract locally); the run's TRANSFER_RUN_FINISHED notification then
// reaches the prepare service.
//
//	(empty body, or {})              → a scheduler tick: the run date is today in TIMEZONE
//	{"date":"YYYYMMDD"}              → that date
//	{"from":"YYYYMMDD","to":"YYYYMMDD"} → every date of the range, both ends included
//
// It answers {"runs":[{"date","run"}]} (with "date" and "run" at the top too when there is one date, as
// the backfill workflow reads them), 400 for a body that is none of these.
//
// A run's logical time is its date's midnight in UTC (the query's @run_date is the UTC date of @run_time),
// and the Data Transfer Service refuses a requested run time in the future. So a tick's date is today in
// TIMEZONE but never after today in UTC (east of UTC, just after local midnight, it is yesterday), and a
// requested date whose midnight (UTC) is still to come is refused with 400. Cloud Scheduler delivers a tick
// at least once: a tick carrying the schedule time (X-CloudScheduler-ScheduleTime) is run once, its date
// taken from that time, however often it is delivered.
package extract

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/internal/httpjson"
)

// ErrFuture is the error of a date whose run time (its midnight, UTC) is still to come.
var ErrFuture = errors.New("the date's run time is in the future")

// HeaderScheduleTime is the header in which Cloud Scheduler sends a tick's schedule time (RFC 3339).
const HeaderScheduleTime = "X-CloudScheduler-ScheduleTime"

// HeaderJobName is the header in which Cloud Scheduler sends the job's name.
const HeaderJobName = "X-CloudScheduler-JobName"

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

	at time.Time // a tick's time: its schedule time; now when zero
}

func (r Request) isTick() bool { return r.Date == "" && r.From == "" && r.To == "" }

// Answer lists the started runs.
type Answer struct {
	Runs []Run  `json:"runs"`
	Date string `json:"date,omitempty"` // the date and run of a one-date request
	Run  string `json:"run,omitempty"`
}

// Config configures the service.
type Config struct {
	Starter Starter
	Zone    *time.Location   // TIMEZONE; UTC when nil
	Now     func() time.Time // time.Now when nil
	Ledger  services.Ledger  // remembers the ticks run; required
	Log     *slog.Logger
}

// Service is the extract trigger.
type Service struct {
	starter Starter
	zone    *time.Location
	now     func() time.Time
	ledger  services.Ledger
	log     *slog.Logger
}

// New returns the extract trigger.
func New(c Config) (*Service, error) {
	if c.Starter == nil || c.Ledger == nil || c.Log == nil {
		return nil, errors.New("extract service: starter, ledger and log are required")
	}
	if c.Zone == nil {
		c.Zone = time.UTC
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Service{starter: c.Starter, zone: c.Zone, now: c.Now, ledger: c.Ledger, log: c.Log}, nil
}

// ServeHTTP is the HTTP function.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req Request
	if err := httpjson.Decode(r, &req); err != nil {
		httpjson.Error(w, r, s.log, err)
		return
	}
	tick, err := scheduleTime(r)
	if err != nil {
		httpjson.Error(w, r, s.log, err)
		return
	}
	if req.isTick() && !tick.IsZero() {
		req.at = tick
	}
	dates, err := s.Dates(req)
	if err != nil {
		httpjson.Error(w, r, s.log, err)
		return
	}
	var runs []Run
	start := func() error {
		runs, err = s.starter.StartRuns(r.Context(), dates)
		if errors.Is(err, ErrFuture) {
			err = services.Permanent(err)
		}
		return err
	}
	if req.isTick() && !tick.IsZero() {
		var ran bool
		ran, err = services.Once(r.Context(), s.ledger, "cloudscheduler:"+r.Header.Get(HeaderJobName), tick.UTC().Format(time.RFC3339), start)
		if err == nil && !ran {
			s.log.InfoContext(r.Context(), "extract tick already run", "stage", pipeline.StageExtract, "date", dates[0],
				"schedule_time", tick.UTC().Format(time.RFC3339))
		}
	} else {
		err = start()
	}
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

// Dates returns the run dates a request names; a date whose run time is still to come is refused.
func (s *Service) Dates(req Request) ([]string, error) {
	dates, err := s.dates(req)
	if err != nil {
		return nil, err
	}
	if last, _ := pipeline.ParseDate(dates[len(dates)-1]); last.After(s.now()) {
		return nil, fmt.Errorf("%w: %s: %w: it starts at %s, after now (%s)", httpjson.ErrBadRequest, dates[len(dates)-1],
			ErrFuture, last.Format(time.RFC3339), s.now().UTC().Format(time.RFC3339))
	}
	return dates, nil
}

func (s *Service) dates(req Request) ([]string, error) {
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
	return []string{s.tickDate(req.at)}, nil
}

// tickDate is the run date of a tick at t (now when zero): today in TIMEZONE, but not after today in UTC,
// so that its run time has come.
func (s *Service) tickDate(t time.Time) string {
	if t.IsZero() {
		t = s.now()
	}
	local, utc := t.In(s.zone).Format(pipeline.DateLayout), t.UTC().Format(pipeline.DateLayout)
	return min(local, utc)
}

// scheduleTime is the schedule time of a Cloud Scheduler tick; zero for a request without one.
func scheduleTime(r *http.Request) (time.Time, error) {
	v := r.Header.Get(HeaderScheduleTime)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: header %s: %v", httpjson.ErrBadRequest, HeaderScheduleTime, err)
	}
	return t, nil
}

func parseRange(from, to string) (time.Time, time.Time, error) {
	a, err := pipeline.ParseDate(from)
	if err != nil {
		return a, a, err
	}
	b, err := pipeline.ParseDate(to)
	return a, b, err
}
