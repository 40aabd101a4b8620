package local

import (
	"strings"
	"testing"
)

func TestVerdictSaysWhereADateStandsAndWhy(t *testing.T) {
	rows := func(n int64) StageStatus { return StageStatus{State: "rows", Rows: n} }
	stages := func(ss ...StageStatus) []StageStatus {
		names := []string{"extract", "prepare", "filter", "predict"}
		for i := range ss {
			ss[i].Stage = names[i]
		}
		return ss
	}
	for _, tc := range []struct {
		name, state, reason string
		stages              []StageStatus
	}{
		{"every stage", DateDone, "", stages(rows(300), rows(40), rows(12), rows(12))},
		{"no new customers", DateDone, "no new customers", stages(rows(300), rows(40), StageStatus{State: "empty"})},
		{"empty extract", DateSkipped, "all_daily_transactions_20110301 is empty", stages(StageStatus{State: "empty"})},
		{"no known customer", DateSkipped, "prepared_daily_transactions_20110301 is empty", stages(rows(3), StageStatus{State: "empty"})},
		{"failed stage", DateFailed, "prepare failed: boom", stages(rows(3), StageStatus{State: "failed", Error: "boom"})},
		{"pending prepare", DatePending, "prepare is pending", stages(rows(3), StageStatus{State: "pending"})},
		{"predict not run", DatePending, "predict has not run (no predictions_20110301): the date went through filter only, " +
			"as training and other dates' windows leave it; pltv run --from 20110301 --to 20110301 completes it",
			stages(rows(300), rows(40), rows(12))},
		{"only a window's prepare", DatePending, "filter has not run (no prepared_new_customers_daily_transactions_20110301): the date went " +
			"through prepare only", stages(rows(300), rows(40))},
		{"predictions short of the new customers", DateFailed, "predictions_20110301 has 10 rows for 12 new-customer rows",
			stages(rows(300), rows(40), rows(12), rows(10))},
		{"stale filter", DateStale, "filter is stale", stages(rows(300), rows(40), StageStatus{State: "stale", Rows: 12}, rows(12))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state, reason := verdict(DateStatus{Date: "20110301", Stages: tc.stages})
			if state != tc.state || !strings.Contains(reason, tc.reason) {
				t.Errorf("verdict = %s (%s), want %s (%s)", state, reason, tc.state, tc.reason)
			}
		})
	}
}

func TestStatusNamesTheFailedWindowDayAFilterWaitsFor(t *testing.T) {
	notRun := "filter has not run (no prepared_new_customers_daily_transactions_D)"
	ds := []DateStatus{
		{Date: "20110301", State: DateFailed, Reason: "prepare failed: refused"},
		{Date: "20110302", State: DatePending, Reason: notRun},
		{Date: "20110303", State: DatePending, Reason: "prepare is pending"},
		{Date: "20110310", State: DatePending, Reason: notRun}, // the failed date is out of its window
	}
	blockedFilters(ds, 7)
	want := []string{"prepare failed: refused", "filter waits for its window: 20110301 failed", "prepare is pending", notRun}
	for i, d := range ds {
		if d.Reason != want[i] {
			t.Errorf("%s: reason %q, want %q", d.Date, d.Reason, want[i])
		}
	}
}
