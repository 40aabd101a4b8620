package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/pipeline"
)

// cloudFollow says how a backfill on a deployment follows the daily workflows of its dates.
type cloudFollow struct {
	Wait     time.Duration // how long to wait for every date's daily workflow to end; 0: do not follow them
	Interval time.Duration // between two listings of the daily executions
}

// cloudBackfillResult is what `pltv backfill --json` prints on a deployment.
type cloudBackfillResult struct {
	Backfill executions.Execution            `json:"backfill"`
	Daily    map[string]executions.Execution `json:"daily"` // by run date: the latest daily execution since the backfill started
	Missing  []string                        `json:"missing,omitempty"`
}

// cloudBackfill starts the deployment's backfill workflow for from..to, as `gcloud workflows run backfill`
// does, waits for it, and then follows the daily workflow each date starts (through the extract, prepare,
// filter and predictstart) until every date's has ended or follow.Wait has passed. A date whose extract
// was empty starts none: it is reported missing (see `pltv status`).
func (g *globals) cloudBackfill(ctx context.Context, cfg config.Config, from, to string, follow cloudFollow, asJSON bool) error {
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		return err
	}
	x, err := g.cloudExecutions(ctx, cfg)
	if err != nil {
		return err
	}
	defer x.Close()
	if follow.Interval <= 0 {
		follow.Interval = 10 * time.Second
	}
	x.PollInterval = follow.Interval
	bx, err := x.Start(ctx, workflowBackfill, map[string]string{"from": from, "to": to})
	if err != nil {
		return fmt.Errorf("backfill %s..%s: %w", from, to, err)
	}
	fmt.Fprintf(g.stderr, "backfill %s..%s: execution %s\n", from, to, bx.ID)
	if bx, err = x.Wait(ctx, bx.ID); err != nil {
		return fmt.Errorf("backfill %s..%s: %w", from, to, err)
	}
	res := cloudBackfillResult{Backfill: bx, Daily: map[string]executions.Execution{}}
	if bx.State != executions.StateSucceeded {
		msg := string(bx.State)
		if bx.Error != nil {
			msg = errorMessage(bx.Error.Payload)
		}
		if asJSON {
			_ = writeJSON(g.stdout, res)
		}
		return fmt.Errorf("backfill %s..%s: execution %s: %s", from, to, bx.ID, msg)
	}
	if follow.Wait > 0 {
		if res.Daily, err = followDaily(ctx, x, dates, bx.StartTime, follow); err != nil {
			return err
		}
	}
	for _, d := range dates {
		if x, ok := res.Daily[d]; !ok || !x.State.Done() {
			res.Missing = append(res.Missing, d)
		}
	}
	if asJSON {
		if err := writeJSON(g.stdout, res); err != nil {
			return err
		}
	} else if err := writeCloudBackfill(g, dates, res); err != nil {
		return err
	}
	failed := 0
	for _, x := range res.Daily {
		if x.State.Done() && x.State != executions.StateSucceeded {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d dates' daily workflows did not succeed", failed, len(dates))
	}
	return nil
}

// followDaily lists the daily executions until every date has one started since since that has ended, or
// follow.Wait has passed, and returns the latest of each date.
func followDaily(ctx context.Context, x *cloudExecutions, dates []string, since time.Time, follow cloudFollow) (map[string]executions.Execution, error) {
	want := map[string]bool{}
	for _, d := range dates {
		want[d] = true
	}
	deadline := time.Now().Add(follow.Wait)
	for {
		list, err := x.List(ctx, workflowDaily)
		if err != nil {
			return nil, err
		}
		latest := map[string]executions.Execution{}
		for _, e := range list { // newest first
			var arg struct{ Date string }
			if e.StartTime.Before(since) || json.Unmarshal([]byte(e.Argument), &arg) != nil || !want[arg.Date] {
				continue
			}
			if _, ok := latest[arg.Date]; !ok {
				latest[arg.Date] = e
			}
		}
		ended := 0
		for _, e := range latest {
			if e.State.Done() {
				ended++
			}
		}
		if ended == len(dates) || !time.Now().Before(deadline) {
			return latest, nil
		}
		t := time.NewTimer(min(follow.Interval, time.Until(deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			return latest, ctx.Err()
		case <-t.C:
		}
	}
}

func writeCloudBackfill(g *globals, dates []string, res cloudBackfillResult) error {
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tWORKFLOW\tEXECUTION\tNOTE")
	for _, d := range dates {
		x, ok := res.Daily[d]
		state, id, note := "-", "-", "no daily workflow (yet): see pltv status --date "+d
		if ok {
			state, id, note = string(x.State), x.ID, ""
			if x.Error != nil {
				note = errorMessage(x.Error.Payload)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d, state, id, note)
	}
	return tw.Flush()
}
