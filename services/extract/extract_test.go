package extract_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/services/extract"
	"github.com/pltv/pltv/services/internal/servicetest"
)

type starter struct {
	dates [][]string
	fail  error
}

func (s *starter) StartRuns(_ context.Context, dates []string) ([]extract.Run, error) {
	if s.fail != nil {
		return nil, s.fail
	}
	s.dates = append(s.dates, dates)
	var runs []extract.Run
	for _, d := range dates {
		runs = append(runs, extract.Run{Date: d, Name: "runs/" + d})
	}
	return runs, nil
}

func TestDates(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on the 1st is already the 2nd in Madrid.
	now := func() time.Time { return time.Date(2011, 3, 1, 23, 30, 0, 0, time.UTC) }
	tests := []struct {
		name   string
		body   string
		status int
		want   string
		dates  [][]string
	}{
		{"a scheduler tick runs today in TIMEZONE", ``, 200, `{"runs":[{"date":"20110302","run":"runs/20110302"}],"date":"20110302","run":"runs/20110302"}`, [][]string{{"20110302"}}},
		{"an empty object is a tick too", `{}`, 200, `{"runs":[{"date":"20110302","run":"runs/20110302"}],"date":"20110302","run":"runs/20110302"}`, [][]string{{"20110302"}}},
		{"one date", `{"date":"20101201"}`, 200, `{"runs":[{"date":"20101201","run":"runs/20101201"}],"date":"20101201","run":"runs/20101201"}`, [][]string{{"20101201"}}},
		{"a range", `{"from":"20101230","to":"20110101"}`, 200,
			`{"runs":[{"date":"20101230","run":"runs/20101230"},{"date":"20101231","run":"runs/20101231"},{"date":"20110101","run":"runs/20110101"}]}`,
			[][]string{{"20101230", "20101231", "20110101"}}},
		{"a date that does not parse", `{"date":"20101232"}`, 400, "", nil},
		{"a backwards range", `{"from":"20110101","to":"20101201"}`, 400, "", nil},
		{"date and range", `{"date":"20110101","from":"20101201","to":"20101202"}`, 400, "", nil},
		{"a range too long", `{"from":"20000101","to":"20201231"}`, 400, "", nil},
		{"malformed JSON", `{"date":`, 400, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &starter{}
			svc, err := extract.New(s, madrid, now, servicetest.Log(t))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(svc)
			defer srv.Close()
			status, body := servicetest.Post(t, srv.URL, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if tt.status == 200 {
				if diff := cmp.Diff(tt.want+"\n", body); diff != "" {
					t.Errorf("answer (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tt.dates, s.dates); diff != "" {
				t.Errorf("started (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStarterFailure(t *testing.T) {
	svc, err := extract.New(&starter{fail: errors.New("transfer service unavailable")}, nil, nil, servicetest.Log(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	defer srv.Close()
	if status, body := servicetest.Post(t, srv.URL, `{"date":"20101201"}`); status != 500 {
		t.Errorf("status %d: %s", status, body)
	}
}
