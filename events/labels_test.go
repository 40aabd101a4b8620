package events

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/warehouse"
)

func TestRunDate(t *testing.T) {
	tests := []struct {
		name          string
		labels        warehouse.Labels
		want          string
		wantNoLabel   bool
		wantMalformed bool
	}{
		{name: "pipeline job", labels: warehouse.JobLabels("demo", "prepare", "20101201"), want: "20101201"},
		{name: "leap day", labels: warehouse.Labels{warehouse.LabelDate: "20120229"}, want: "20120229"},
		{name: "no labels", labels: nil, wantNoLabel: true},
		{name: "empty date", labels: warehouse.Labels{warehouse.LabelDate: ""}, wantNoLabel: true},
		{name: "month 13", labels: warehouse.Labels{warehouse.LabelDate: "20101301"}, wantMalformed: true},
		{name: "not a leap year", labels: warehouse.Labels{warehouse.LabelDate: "20110229"}, wantMalformed: true},
		{name: "dashes", labels: warehouse.Labels{warehouse.LabelDate: "2010-12-01"}, wantMalformed: true},
		{name: "nine digits", labels: warehouse.Labels{warehouse.LabelDate: "201012011"}, wantMalformed: true},
		{name: "signed", labels: warehouse.Labels{warehouse.LabelDate: "+2010121"}, wantMalformed: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RunDate(tc.labels)
			if errors.Is(err, ErrNoLabel) != tc.wantNoLabel || errors.Is(err, ErrMalformed) != tc.wantMalformed {
				t.Fatalf("RunDate: err = %v, want ErrNoLabel %v, ErrMalformed %v", err, tc.wantNoLabel, tc.wantMalformed)
			}
			if got != tc.want {
				t.Errorf("RunDate = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRouteOf(t *testing.T) {
	tests := []struct {
		name          string
		labels        warehouse.Labels
		want          Route
		wantNoLabel   bool
		wantMalformed bool
	}{
		{name: "pipeline job", labels: warehouse.JobLabels("demo", "filter", "20101202"),
			want: Route{Deployment: "demo", Stage: "filter", Date: "20101202"}},
		{name: "no stage", labels: warehouse.Labels{warehouse.LabelDeployment: "demo", warehouse.LabelDate: "20101202"}, wantNoLabel: true},
		{name: "no deployment", labels: warehouse.Labels{warehouse.LabelStage: "filter", warehouse.LabelDate: "20101202"}, wantNoLabel: true},
		{name: "someone else's job", labels: warehouse.Labels{"team": "ads"}, wantNoLabel: true},
		{name: "bad date", labels: warehouse.JobLabels("demo", "filter", "20101232"), wantMalformed: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RouteOf(tc.labels)
			if errors.Is(err, ErrNoLabel) != tc.wantNoLabel || errors.Is(err, ErrMalformed) != tc.wantMalformed {
				t.Fatalf("RouteOf: err = %v, want ErrNoLabel %v, ErrMalformed %v", err, tc.wantNoLabel, tc.wantMalformed)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("RouteOf (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJobDoneRunDate(t *testing.T) {
	j := fixtureJobs(t)["insertjob_query_failed.json"]
	if got, err := j.RunDate(); err != nil || got != "20101202" {
		t.Errorf("RunDate = %q, %v, want 20101202", got, err)
	}
	legacy := fixtureJobs(t)["example_binary_audit_LogEntryData-bigqueryjobcompleted.json"]
	if _, err := legacy.RunDate(); !errors.Is(err, ErrNoLabel) {
		t.Errorf("RunDate of a job without labels: err = %v, want ErrNoLabel", err)
	}
}
