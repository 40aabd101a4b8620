package training_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/training"
)

func TestHistoryCoverage(t *testing.T) {
	h := training.History{FirstSourceDate: "20101201", LagDays: 1, WindowDays: 365, BurnInDays: 60}
	tests := []struct {
		date string
		want training.Coverage
	}{
		{"20101201", training.Coverage{Date: "20101201", Days: 0, WindowDays: 365, BurnIn: true}},
		{"20101202", training.Coverage{Date: "20101202", Days: 0, WindowDays: 365, BurnIn: true}},
		{"20101203", training.Coverage{Date: "20101203", Days: 1, WindowDays: 365, BurnIn: true}},
		{"20110130", training.Coverage{Date: "20110130", Days: 59, WindowDays: 365, BurnIn: true}},
		{"20110131", training.Coverage{Date: "20110131", Days: 60, WindowDays: 365}},
		{"20111202", training.Coverage{Date: "20111202", Days: 365, WindowDays: 365}},
		{"20111210", training.Coverage{Date: "20111210", Days: 365, WindowDays: 365}},
	}
	for _, tt := range tests {
		got, err := h.Of(tt.date)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Of(%s) (-want +got):\n%s", tt.date, diff)
		}
	}
	first, err := h.FirstCohort()
	if err != nil || first != "20110131" {
		t.Errorf("FirstCohort() = %s, %v; want 20110131", first, err)
	}
	if c, _ := h.Of("20110130"); c.String() != "59/365 days (burn-in)" {
		t.Errorf("String() = %q", c.String())
	}
	// A window shorter than the burn-in: a date is out of the burn-in once the whole window is covered.
	short := training.History{FirstSourceDate: "20101201", WindowDays: 30, BurnInDays: 60}
	if first, _ := short.FirstCohort(); first != "20101231" {
		t.Errorf("FirstCohort with a 30-day window and a 60-day burn-in = %s, want 20101231", first)
	}
	if _, err := h.Of("2011-01-01"); err == nil {
		t.Error("Of(a bad date): no error")
	}
}
