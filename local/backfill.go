package local

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/extract"
)

// DateResult is how far a backfilled date went.
type DateResult struct {
	Date    string           `json:"date"`
	Stage   string           `json:"stage"`
	Outcome services.Outcome `json:"outcome"` // started (the daily workflow), skipped or failed
	Reason  string           `json:"reason,omitempty"`
}

// Backfill runs the dates from..to through the same events as the cloud: it asks the extract service for one
// scheduled-extract run per date, as the backfill workflow does, and waits until each date got as far as it
// goes (the daily workflow started, or a stage failed or skipped the date) or ctx ends. Dates are in order.
func (s *Server) Backfill(ctx context.Context, from, to string) ([]DateResult, error) {
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		return nil, fmt.Errorf("backfill: %w", err)
	}
	res, err := s.BackfillDates(ctx, dates)
	if err != nil {
		return res, fmt.Errorf("backfill %s..%s: %w", from, to, err)
	}
	return res, nil
}

// BackfillDates is Backfill of any dates, in order: one extract request per run of consecutive dates.
func (s *Server) BackfillDates(ctx context.Context, dates []string) ([]DateResult, error) {
	s.Progress.Forget(dates)
	for _, run := range consecutive(dates) {
		if err := s.rt.Intend(run[0], run[len(run)-1]); err != nil {
			return nil, err
		}
	}
	for _, run := range consecutive(dates) {
		for start := 0; start < len(run); start += extract.MaxDates {
			chunk := run[start:min(start+extract.MaxDates, len(run))]
			if err := s.startExtracts(ctx, chunk[0], chunk[len(chunk)-1]); err != nil {
				return nil, err
			}
		}
	}
	if err := s.Progress.Wait(ctx, dates); err != nil {
		return s.results(dates), err
	}
	return s.results(dates), nil
}

// consecutive splits sorted dates into runs of consecutive days.
func consecutive(dates []string) [][]string {
	var out [][]string
	for i, d := range dates {
		if next, err := pipeline.AddDays(dates[max(i-1, 0)], 1); i == 0 || err != nil || next != d {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], d)
	}
	return out
}

// startExtracts calls the extract service for a range of dates, retrying what the backfill workflow's
// http.default_retry retries (429, 502, 503, 504 and connection errors, 5 times, 1 s doubling).
func (s *Server) startExtracts(ctx context.Context, from, to string) error {
	body, _ := json.Marshal(extract.Request{From: from, To: to})
	delay := time.Second
	for attempt := 1; ; attempt++ {
		retry, err := s.startExtractsOnce(ctx, body)
		if err == nil || !retry || attempt > 5 {
			return err
		}
		if err := s.sleep(ctx, delay); err != nil {
			return err
		}
		delay *= 2
	}
}

func (s *Server) startExtractsOnce(ctx context.Context, body []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.FunctionURL(app.FnExtract), bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("backfill: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ctx.Err() == nil, fmt.Errorf("backfill: start extracts: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		switch resp.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			retry = true
		}
		return retry, fmt.Errorf("backfill: start extracts: %s: %s", resp.Status, bytes.TrimSpace(b))
	}
	return false, nil
}

// results returns each date's final step, or its last one for a date still under way.
func (s *Server) results(dates []string) []DateResult {
	out := make([]DateResult, len(dates))
	for i, d := range dates {
		out[i] = DateResult{Date: d}
		step, ok := s.Progress.Final(d)
		if !ok {
			steps := s.Progress.Steps(d)
			if len(steps) == 0 {
				continue
			}
			step = steps[len(steps)-1]
		}
		out[i].Stage, out[i].Outcome, out[i].Reason = step.Stage, step.Outcome, step.Reason
	}
	return out
}

// Await waits until each date got as far as it goes after a backfill started elsewhere (the backfill
// workflow, say), and returns how far each went. Forget the dates before starting it.
func (s *Server) Await(ctx context.Context, dates []string) ([]DateResult, error) {
	if err := s.Progress.Wait(ctx, dates); err != nil {
		return s.results(dates), fmt.Errorf("wait for %d dates: %w", len(dates), err)
	}
	return s.results(dates), nil
}
