package filter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/internal/barrier"
	"github.com/pltv/pltv/warehouse"
)

// Release runs the filter of every waiting date that no pending prepare holds back any more (the notify half
// of wait-and-notify), oldest first, and returns the dates it filtered. A date waiting longer than the
// expiry is dropped and reported as failed. A filter that fails with an error a retry may fix puts its date
// back to wait, for the next Release.
func (s *Service) Release(ctx context.Context) ([]string, error) { return s.release(ctx, "") }

// release is Release with the prepare of done known to be finished, whatever the tracking says.
func (s *Service) release(ctx context.Context, done string) ([]string, error) {
	entries, err := s.waiting.List(ctx)
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	entries, err = s.dropExpired(ctx, entries)
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	dates := barrier.Dates(entries)
	pending, _, err := s.prepares.PendingPrepares(ctx, dates[len(dates)-1])
	if err != nil {
		return nil, fmt.Errorf("release waiting filters: %w", err)
	}
	pending = slices.DeleteFunc(pending, func(d string) bool { return d == done })
	free := map[string]bool{}
	for _, d := range pipeline.Released(dates, pending) {
		free[d] = true
	}
	var ran []string
	var errs []error
	for _, e := range entries {
		if !free[e.Date] {
			continue
		}
		took, err := s.waiting.Take(ctx, e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !took {
			continue // another notifier runs it
		}
		dctx := warehouse.WithAttempt(withDate(ctx, e.Date), "release "+e.Date+" "+e.Since.UTC().Format(time.RFC3339Nano))
		s.log.InfoContext(dctx, "filter released", "stage", pipeline.StageFilter, "waited", s.now().Sub(e.Since).String())
		if err := s.run(dctx, e.Date); err != nil {
			s.log.ErrorContext(dctx, "released filter failed", "stage", pipeline.StageFilter, "error", err.Error())
			if !services.IsPermanent(err) {
				if werr := s.waiting.Add(ctx, e.Date); werr != nil {
					errs = append(errs, werr)
				}
			}
			errs = append(errs, err)
			continue
		}
		ran = append(ran, e.Date)
	}
	return ran, errors.Join(errs...)
}

// dropExpired takes the entries that waited too long out of the set, reports them failed, and returns the
// others.
func (s *Service) dropExpired(ctx context.Context, entries []barrier.Entry) ([]barrier.Entry, error) {
	var keep []barrier.Entry
	for _, e := range entries {
		if e.Since.IsZero() || s.now().Sub(e.Since) < s.expire {
			keep = append(keep, e)
			continue
		}
		took, err := s.waiting.Take(ctx, e)
		if err != nil {
			return nil, err
		}
		if took {
			reason := fmt.Sprintf("waited for earlier prepares since %s, longer than %v", e.Since.Format("2006-01-02T15:04:05Z07:00"), s.expire)
			s.log.ErrorContext(withDate(ctx, e.Date), "waiting filter expired", "stage", pipeline.StageFilter, "reason", reason)
			s.progress.Report(ctx, services.Step{Date: e.Date, Stage: pipeline.StageFilter, Outcome: services.Failed, Reason: reason})
		}
	}
	return keep, nil
}
