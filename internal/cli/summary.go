package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/warehouse"
)

// summary is what a backfill did, for its closing lines and its JSON.
type summary struct {
	From, To string
	Dates    int              `json:"dates"`
	Rows     map[string]int64 `json:"rows_by_stage"` // rows written for the range, by stage
	Skipped  []skipGroup      `json:"skipped,omitempty"`
	Failed   []string         `json:"failed_dates,omitempty"`
	// FollowUps are the dates beyond the range computed again, and why (stale, or waiting for the range).
	FollowUps []local.FollowUp `json:"follow_ups,omitempty"`
	// Predictions are the rows of predictions_D over the range and their summed conversionValue.
	Predictions     int64          `json:"predictions"`
	PredictedValue  float64        `json:"predicted_value"`
	PredictionDates int            `json:"prediction_dates"`
	Model           local.ModelUse `json:"model"`
	WorkflowSteps   int64          `json:"workflow_steps_billed"`
	WallSeconds     float64        `json:"wall_seconds"`
	Report          string         `json:"report"` // the HTML report's path
}

// skipGroup is the dates skipped for one reason (the reason with its date replaced by D).
type skipGroup struct {
	Reason string   `json:"reason"`
	Dates  []string `json:"dates"`
}

var dateInReason = regexp.MustCompile(`\d{8}`)

// summarize adds up a backfill of dates from the state's tables, the runs' executions and the model meter.
func summarize(ctx context.Context, e *local.Embedded, dates []local.DateResult, runs map[string]executions.Execution, start time.Time) (summary, error) {
	s := summary{Dates: len(dates), Rows: map[string]int64{}, WallSeconds: time.Since(start).Seconds()}
	if len(dates) == 0 {
		return s, nil
	}
	s.From, s.To = dates[0].Date, dates[len(dates)-1].Date
	in := map[string]bool{}
	skipped := map[string][]string{}
	for _, d := range dates {
		in[d.Date] = true
		switch d.Outcome {
		case services.Skipped:
			r := dateInReason.ReplaceAllString(d.Reason, "D")
			skipped[r] = append(skipped[r], d.Date)
		case services.Failed:
			s.Failed = append(s.Failed, d.Date)
		}
		if x, ok := runs[d.Date]; ok {
			s.WorkflowSteps += x.Steps
			if x.State != executions.StateSucceeded {
				s.Failed = append(s.Failed, d.Date)
			}
		}
	}
	for _, r := range slices.Sorted(maps.Keys(skipped)) {
		s.Skipped = append(s.Skipped, skipGroup{Reason: r, Dates: skipped[r]})
	}
	st, err := e.Status(ctx, "")
	if err != nil {
		return s, err
	}
	for _, d := range st {
		if !in[d.Date] {
			continue
		}
		for _, x := range d.Stages {
			s.Rows[x.Stage] += x.Rows
		}
	}
	for _, d := range dates {
		n, v, err := predictionsOf(ctx, e.Runtime, d.Date)
		if err != nil {
			return s, err
		}
		if n > 0 {
			s.Predictions += n
			s.PredictedValue += v
			s.PredictionDates++
		}
	}
	if e.Models != nil {
		s.Model = e.Models.Meter.Use()
	}
	return s, nil
}

// predictionsOf counts the predictions of a date and sums their value; a missing table is none.
func predictionsOf(ctx context.Context, rt *local.Runtime, date string) (int64, float64, error) {
	var n int64
	var v float64
	t := rt.Config.LTVDataset().Shard(pipeline.Predictions, date)
	err := rt.WH.Read(ctx, warehouse.ReadRequest{SQL: "SELECT COUNT(*), SUM(conversionValue) FROM " + t.SQL()},
		func(b warehouse.Batch) error {
			n, _ = b.Rows[0][0].(int64)
			v, _ = b.Rows[0][1].(float64)
			return nil
		})
	if errors.Is(err, warehouse.ErrNotFound) {
		return 0, 0, nil
	}
	return n, v, err
}

// write prints the closing summary.
func (s summary) write(w io.Writer) {
	fmt.Fprintf(w, "\n%s..%s: %d dates in %s\n", s.From, s.To, s.Dates, (time.Duration(s.WallSeconds * float64(time.Second))).Round(100*time.Millisecond))
	var rows []string
	for _, st := range []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter, pipeline.StagePredict} {
		rows = append(rows, fmt.Sprintf("%s %d", st, s.Rows[st]))
	}
	fmt.Fprintf(w, "  rows written:   %s\n", strings.Join(rows, ", "))
	fmt.Fprintf(w, "  predictions:    %d for %d dates, %.2f of predicted value (mean %.2f)\n",
		s.Predictions, s.PredictionDates, s.PredictedValue, s.PredictedValue/float64(max(s.Predictions, 1)))
	for _, g := range s.Skipped {
		fmt.Fprintf(w, "  skipped:        %d dates, %s (%s)\n", len(g.Dates), g.Reason, dateList(g.Dates))
	}
	if len(s.FollowUps) > 0 {
		fmt.Fprintf(w, "  recomputed:     %d dates beyond the range (%s): %s\n", len(s.FollowUps),
			dateList(local.FollowUpDates(s.FollowUps)), s.FollowUps[0].Reason)
	}
	if len(s.Failed) > 0 {
		sort.Strings(s.Failed)
		fmt.Fprintf(w, "  failed:         %d dates (%s): see pltv status --failed\n", len(s.Failed), dateList(slices.Compact(s.Failed)))
	}
	still := ""
	if s.Model.Deployed {
		still = ", still deployed"
	}
	deploys := "deploys"
	if s.Model.Deploys == 1 {
		deploys = "deploy"
	}
	fmt.Fprintf(w, "  model:          %d %s, %.1f minutes deployed, %.1f minutes predicting (runtime time%s)\n",
		s.Model.Deploys, deploys, s.Model.DeployedMinutes, s.Model.PredictingMinutes, still)
	fmt.Fprintf(w, "  workflow steps: %d billed\n", s.WorkflowSteps)
	if s.Report != "" {
		fmt.Fprintf(w, "  report:         %s\n", s.Report)
	}
}

// dateList shortens a list of dates for one line.
func dateList(ds []string) string {
	if len(ds) <= 6 {
		return strings.Join(ds, " ")
	}
	return strings.Join(ds[:3], " ") + " … " + strings.Join(ds[len(ds)-2:], " ")
}
