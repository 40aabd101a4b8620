package local

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// StageStatus is where one stage of one date stands.
type StageStatus struct {
	Stage    string    `json:"stage"`
	Table    string    `json:"table,omitempty"`
	State    string    `json:"state"` // missing, empty, rows, pending, failed
	Rows     int64     `json:"rows"`
	JobID    string    `json:"job_id,omitempty"`
	Finished time.Time `json:"finished,omitzero"`
	Error    string    `json:"error,omitempty"`
}

// DateStatus is every stage of one run date.
type DateStatus struct {
	Date   string        `json:"date"`
	State  string        `json:"state"`            // done, skipped, failed, pending or stale (DateStates)
	Reason string        `json:"reason,omitempty"` // why, when the date is not done, or done with nothing to predict
	Stages []StageStatus `json:"stages"`
}

// stageTables maps each stage to the table it writes.
var stageTables = []struct{ stage, table string }{
	{pipeline.StageExtract, pipeline.AllDailyTransactions},
	{pipeline.StagePrepare, pipeline.PreparedDailyTransactions},
	{pipeline.StageFilter, pipeline.NewCustomersTransactions},
	{pipeline.StagePredict, pipeline.Predictions},
}

// Status reports each date's stages: the tables written, the last job of each stage (with its error when it
// failed), prepares still pending and prediction batches that failed. date "" means every date seen.
func (r *Runtime) Status(ctx context.Context, date string) ([]DateStatus, error) {
	byDate := map[string]map[string]*StageStatus{}
	get := func(d, stage string) *StageStatus {
		if byDate[d] == nil {
			byDate[d] = map[string]*StageStatus{}
		}
		if byDate[d][stage] == nil {
			byDate[d][stage] = &StageStatus{Stage: stage, State: warehouse.Missing.String()}
		}
		return byDate[d][stage]
	}
	tables, err := r.WH.Tables(ctx, r.Config.LTVDataset(), "")
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		name, d, ok := warehouse.SplitShard(t.Ref.Table)
		if !ok || (date != "" && d != date) {
			continue
		}
		for _, st := range stageTables {
			if st.table == name {
				s := get(d, st.stage)
				s.Table, s.State, s.Rows = t.Ref.Table, t.State.String(), t.Rows
			}
		}
	}
	if err := r.addJobs(ctx, date, get); err != nil {
		return nil, err
	}
	if err := r.addTracking(ctx, date, get); err != nil {
		return nil, err
	}
	stale, err := r.staleFilters(ctx, date)
	if err != nil {
		return nil, err
	}
	for d, st := range stale {
		s := get(d, pipeline.StageFilter)
		if s.State != "failed" {
			s.State, s.Error = DateStale, st.Reason+": the next run or backfill recomputes it"
		}
	}
	out := make([]DateStatus, 0, len(byDate))
	for d, stages := range byDate {
		ds := DateStatus{Date: d}
		for _, st := range stageTables {
			if s := stages[st.stage]; s != nil {
				ds.Stages = append(ds.Stages, *s)
			}
		}
		ds.State, ds.Reason = verdict(ds)
		out = append(out, ds)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	blockedFilters(out, r.Config.ModelNewClientDays)
	return r.markInterruptions(out, date)
}

// waitsForWindow opens the reason of a date whose filter waits for failed days of its window.
const waitsForWindow = "filter waits for its window"

// blockedFilters names, for each date whose filter has not run, the failed dates of the filter's window
// (the days before it, newClientDays back): the filter cannot run before they are prepared, so the date
// waits for them, and the run or backfill that prepares them runs it too (see FollowUps).
func blockedFilters(ds []DateStatus, newClientDays int) {
	failed := map[string]bool{}
	for _, d := range ds {
		if d.State == DateFailed {
			failed[d.Date] = true
		}
	}
	for i, d := range ds {
		if d.State != DatePending || !strings.HasPrefix(d.Reason, pipeline.StageFilter+" has not run") {
			continue
		}
		start, err := pipeline.AddDays(d.Date, -newClientDays)
		if err != nil {
			continue
		}
		var blocking []string
		for _, f := range ds {
			if failed[f.Date] && f.Date >= start && f.Date < d.Date {
				blocking = append(blocking, f.Date)
			}
		}
		if len(blocking) > 0 {
			ds[i].Reason = fmt.Sprintf("%s: %s failed", waitsForWindow, strings.Join(blocking, ", "))
		}
	}
}

// addJobs adds the last job of each stage and date from the embedded warehouse's job log.
func (r *Runtime) addJobs(ctx context.Context, date string, get func(d, stage string) *StageStatus) error {
	w, ok := r.WH.(*duckdb.Warehouse)
	if !ok {
		return nil
	}
	jobs, err := w.Jobs(ctx, 0)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, j := range jobs { // newest first
		d, stage := j.Labels[warehouse.LabelDate], j.Labels[warehouse.LabelStage]
		if d == "" || stage == "" || (date != "" && d != date) || seen[d+stage] {
			continue
		}
		seen[d+stage] = true
		s := get(d, stage)
		s.JobID, s.Finished = j.ID, j.Finished
		if j.Error != "" {
			s.State, s.Error = "failed", j.Error
		}
	}
	return nil
}

// addTracking adds pending and failed prepares and failed prediction batches.
func (r *Runtime) addTracking(ctx context.Context, date string, get func(d, stage string) *StageStatus) error {
	prepares, _, err := r.Tracker.Prepares(ctx)
	if err != nil {
		return err
	}
	for _, p := range prepares {
		if date != "" && p.Date != date {
			continue
		}
		switch {
		case p.Error != "":
			s := get(p.Date, pipeline.StagePrepare)
			s.State, s.Error = "failed", p.Error
		case p.Finished.IsZero():
			get(p.Date, pipeline.StagePrepare).State = "pending"
		}
	}
	preds, _, err := r.Tracker.Predictions(ctx)
	if err != nil {
		return err
	}
	for _, p := range preds {
		if p.Error != "" && (date == "" || p.Date == date) {
			s := get(p.Date, pipeline.StagePredict)
			s.State, s.Error = "failed", p.ID+": "+p.Error
		}
	}
	return nil
}
