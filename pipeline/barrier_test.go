package pipeline

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWaitingOn(t *testing.T) {
	tests := []struct {
		name    string
		pending []string
		date    string
		want    []string
	}{
		{"nothing pending", nil, "20110105", nil},
		{"only later dates pending", []string{"20110106", "20110110"}, "20110105", nil},
		{"same date pending", []string{"20110105"}, "20110105", []string{"20110105"}},
		{"earlier dates pending, sorted", []string{"20110110", "20110103", "20110101"}, "20110105", []string{"20110101", "20110103"}},
		{"across a year end", []string{"20101231", "20110102"}, "20110101", []string{"20101231"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, WaitingOn(tt.pending, tt.date)); diff != "" {
				t.Errorf("WaitingOn(%v, %s) (-want +got):\n%s", tt.pending, tt.date, diff)
			}
		})
	}
}

func TestReleased(t *testing.T) {
	waiting := []string{"20110104", "20110106", "20110105"}
	tests := []struct {
		name    string
		pending []string
		want    []string
	}{
		{"all prepares done", nil, []string{"20110104", "20110105", "20110106"}},
		{"the oldest still pending holds everyone", []string{"20110103"}, nil},
		{"a middle prepare holds only the dates after it", []string{"20110105"}, []string{"20110104"}},
		{"a later prepare holds nobody earlier", []string{"20110107"}, []string{"20110104", "20110105", "20110106"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Released(waiting, tt.pending)); diff != "" {
				t.Errorf("Released (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDates(t *testing.T) {
	got, err := Dates("20101230", "20110102")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"20101230", "20101231", "20110101", "20110102"}, got); diff != "" {
		t.Errorf("Dates (-want +got):\n%s", diff)
	}
	for _, bad := range [][2]string{{"20110102", "20110101"}, {"20110230", "20110301"}, {"2011-01-01", "20110102"}} {
		if _, err := Dates(bad[0], bad[1]); err == nil {
			t.Errorf("Dates(%s, %s): want an error", bad[0], bad[1])
		}
	}
}
