package pipeline

import (
	"context"
	"strings"
	"sync"

	"github.com/pltv/pltv/warehouse"
)

// StageWindow labels the jobs of a filter that prepares the unprepared days of its window: they are
// prepares, but not of a date being run, so no service starts that date's filter when they finish.
const StageWindow = "window"

// windowMu keeps the filters of one process from preparing the same window days at once.
var windowMu sync.Mutex

// prepareWindow makes the window a filter reads complete, so that the result does not depend on the order in
// which dates were run: every run date of the window whose source day has data but that was never
// extracted and prepared is extracted and prepared first, with a log line naming it. A date whose extract
// ran and was empty needs nothing. With an unsharded source, whose days cannot be listed, the window is
// taken as it is. It returns the dates it prepared.
func (p *Pipeline) prepareWindow(ctx context.Context, date string, start, end string) ([]string, error) {
	t := p.SQL.Tables()
	if !t.SourceSharded {
		return nil, nil
	}
	windowMu.Lock()
	defer windowMu.Unlock()
	gaps, err := p.windowGaps(ctx, start, end)
	if err != nil || len(gaps) == 0 {
		return nil, err
	}
	p.Log.InfoContext(ctx, "preparing the unprepared days of the window first", "stage", StageFilter, "date", date,
		"dates", strings.Join(gaps, ","))
	for _, d := range gaps {
		if _, err := p.extract(ctx, StageWindow, d); err != nil {
			return nil, &WindowDayError{Day: d, Err: err}
		}
		if _, err := p.prepare(ctx, StageWindow, d); err != nil {
			return nil, &WindowDayError{Day: d, Err: err}
		}
	}
	return gaps, nil
}

// windowGaps lists the run dates start..end whose source shard holds rows but whose extract or prepare never
// ran.
func (p *Pipeline) windowGaps(ctx context.Context, start, end string) ([]string, error) {
	t := p.SQL.Tables()
	source, err := p.WH.Tables(ctx, t.Source, t.SourceTable+"_")
	if err != nil {
		return nil, err
	}
	withRows := map[string]bool{}
	for _, s := range source {
		if s.State == warehouse.HasRows {
			withRows[strings.TrimPrefix(s.Ref.Table, t.SourceTable+"_")] = true
		}
	}
	states, err := p.shardStates(ctx, AllDailyTransactions, PreparedDailyTransactions)
	if err != nil {
		return nil, err
	}
	dates, err := Dates(start, end)
	if err != nil {
		return nil, err
	}
	var gaps []string
	for _, d := range dates {
		day, err := AddDays(d, -p.Settings.LagDays)
		if err != nil {
			return nil, err
		}
		if !withRows[day] {
			continue
		}
		extracted := states[AllDailyTransactions][d]
		if extracted == warehouse.Missing || (extracted == warehouse.HasRows && states[PreparedDailyTransactions][d] == warehouse.Missing) {
			gaps = append(gaps, d)
		}
	}
	return gaps, nil
}

// shardStates returns the state of every date shard of the named tables, by table then date; a date without
// a shard is Missing (the zero State).
func (p *Pipeline) shardStates(ctx context.Context, names ...string) (map[string]map[string]warehouse.State, error) {
	out := map[string]map[string]warehouse.State{}
	for _, name := range names {
		list, err := p.WH.Tables(ctx, p.ltv(), name+"_")
		if err != nil {
			return nil, err
		}
		out[name] = map[string]warehouse.State{}
		for _, s := range list {
			suffix := strings.TrimPrefix(s.Ref.Table, name+"_")
			if _, err := ParseDate(suffix); err == nil {
				out[name][suffix] = s.State
			}
		}
	}
	return out, nil
}
