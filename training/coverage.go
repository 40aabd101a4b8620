package training

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/pipeline"
)

// Coverage is how much of a run date's new-customer window the data covers: the filter stage finds a customer
// new on date D when they bought nothing in the WindowDays run dates before D, and the first of those dates
// with data is the first source date plus the extract lag. A date whose coverage is short of the window may
// call an existing customer new, because their earlier purchases predate the data.
type Coverage struct {
	Date       string `json:"date"`
	Days       int    `json:"days"`        // run dates of the window with data, 0..WindowDays
	WindowDays int    `json:"window_days"` // MODEL_NEW_CLIENT_DAYS
	// BurnIn is true when Days is below the burn-in (MODEL_BURN_IN_DAYS): training leaves the date out.
	BurnIn bool `json:"burn_in"`
}

// History says how the data covers the new-customer windows of run dates: from the first source date, the
// extract lag, the window and the burn-in.
type History struct {
	FirstSourceDate string
	LagDays         int // EXTRACT_LAG_DAYS
	WindowDays      int // MODEL_NEW_CLIENT_DAYS
	BurnInDays      int // MODEL_BURN_IN_DAYS
}

// LoadHistory reads the first source date of the environment's source.
func LoadHistory(ctx context.Context, env Env) (History, error) {
	first, _, err := SourceRange(ctx, env.WH, env.Tables)
	if err != nil {
		return History{}, err
	}
	return env.history(first), nil
}

func (e Env) history(first string) History {
	return History{FirstSourceDate: first, LagDays: e.LagDays, WindowDays: e.NewClientDays, BurnInDays: e.BurnInDays}
}

// Of returns the coverage of a run date.
func (h History) Of(date string) (Coverage, error) {
	firstRun, err := pipeline.AddDays(h.FirstSourceDate, h.LagDays)
	if err != nil {
		return Coverage{}, err
	}
	days, err := daysBetween(firstRun, date)
	if err != nil {
		return Coverage{}, fmt.Errorf("coverage of %s: %w", date, err)
	}
	c := Coverage{Date: date, Days: max(0, days), WindowDays: h.WindowDays}
	if h.WindowDays > 0 {
		c.Days = min(c.Days, h.WindowDays)
	}
	c.BurnIn = c.Days < h.need()
	return c, nil
}

// need is the coverage a date needs to be out of the burn-in.
func (h History) need() int {
	if h.WindowDays > 0 {
		return min(h.BurnInDays, h.WindowDays)
	}
	return h.BurnInDays
}

// daysBetween is to - from in days.
func daysBetween(from, to string) (int, error) {
	a, err := pipeline.ParseDate(from)
	if err != nil {
		return 0, err
	}
	b, err := pipeline.ParseDate(to)
	if err != nil {
		return 0, err
	}
	return int(b.Sub(a).Hours() / 24), nil
}

// FirstCohort is the first run date out of the burn-in: the first whose coverage reaches BurnInDays (or
// the whole window, when that is shorter).
func (h History) FirstCohort() (string, error) {
	return pipeline.AddDays(h.FirstSourceDate, h.LagDays+h.need())
}

// String is the coverage as "45/365 days", with "(burn-in)" when training leaves the date out.
func (c Coverage) String() string {
	s := fmt.Sprintf("%d/%d days", c.Days, c.WindowDays)
	if c.BurnIn {
		s += " (burn-in)"
	}
	return s
}
