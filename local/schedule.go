package local

import (
	"context"
	"net/http"
	"strings"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/services/app"
)

// schedule is the local Cloud Scheduler: it calls the task poller, the model stopper and, when asked, the
// daily extract over HTTP on their cron schedules (in TIMEZONE), until ctx ends.
func (s *Server) schedule(ctx context.Context, opts ServeOptions) {
	cfg := s.rt.Config
	jobs := []struct {
		fn   string
		cron config.Cron
	}{
		{app.FnPoller, cfg.LongRunningTasksPoller},
		{app.FnStopper, cfg.ModelStopperPoller},
	}
	if opts.ScheduleExtract {
		jobs = append(jobs, struct {
			fn   string
			cron config.Cron
		}{app.FnExtract, cfg.DataSourceDailyTxPoller})
	}
	for _, j := range jobs {
		go func() {
			for {
				next := j.cron.Next(opts.Now())
				if next.IsZero() {
					return
				}
				if err := opts.Sleep(ctx, next.Sub(opts.Now())); err != nil {
					return
				}
				s.tick(ctx, j.fn, opts)
			}
		}()
	}
}

// tick calls a scheduled function as Cloud Scheduler does: a POST with an empty JSON body.
func (s *Server) tick(ctx context.Context, fn string, opts ServeOptions) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.FunctionURL(fn), strings.NewReader("{}"))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			opts.Log.Warn("scheduled call failed", "function", fn, "error", err.Error())
		}
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		opts.Log.Warn("scheduled call failed", "function", fn, "status", resp.StatusCode)
	}
}
