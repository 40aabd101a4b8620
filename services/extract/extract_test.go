package extract_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
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

func newService(t testing.TB, s extract.Starter, zone *time.Location, now func() time.Time) *extract.Service {
	t.Helper()
	if now == nil {
		now = time.Now
	}
	svc, err := extract.New(extract.Config{Starter: s, Zone: zone, Now: now, Ledger: servicetest.Tracker(t, now),
		Log: servicetest.Log(t)})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestDates(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on the 1st is already the 2nd in Madrid, but the 2nd's run time (its midnight, UTC) is 30
	// minutes away: the Data Transfer Service would refuse it.
	now := func() time.Time { return time.Date(2011, 3, 1, 23, 30, 0, 0, time.UTC) }
	tests := []struct {
		name   string
		zone   *time.Location
		body   string
		status int
		want   string
		dates  [][]string
	}{
		{"a scheduler tick runs the last date whose run time has come", madrid, ``, 200,
			`{"runs":[{"date":"20110301","run":"runs/20110301"}],"date":"20110301","run":"runs/20110301"}`, [][]string{{"20110301"}}},
		{"an empty object is a tick too", madrid, `{}`, 200,
			`{"runs":[{"date":"20110301","run":"runs/20110301"}],"date":"20110301","run":"runs/20110301"}`, [][]string{{"20110301"}}},
		{"west of UTC a tick runs today in TIMEZONE", time.FixedZone("UTC-5", -5*3600), ``, 200,
			`{"runs":[{"date":"20110301","run":"runs/20110301"}],"date":"20110301","run":"runs/20110301"}`, [][]string{{"20110301"}}},
		{"one date", madrid, `{"date":"20101201"}`, 200, `{"runs":[{"date":"20101201","run":"runs/20101201"}],"date":"20101201","run":"runs/20101201"}`, [][]string{{"20101201"}}},
		{"a range", madrid, `{"from":"20101230","to":"20110101"}`, 200,
			`{"runs":[{"date":"20101230","run":"runs/20101230"},{"date":"20101231","run":"runs/20101231"},{"date":"20110101","run":"runs/20110101"}]}`,
			[][]string{{"20101230", "20101231", "20110101"}}},
		{"a date whose run time is to come", madrid, `{"date":"20110302"}`, 400, "", nil},
		{"a range ending in the future", madrid, `{"from":"20110228","to":"20110302"}`, 400, "", nil},
		{"a date that does not parse", madrid, `{"date":"20101232"}`, 400, "", nil},
		{"a backwards range", madrid, `{"from":"20110101","to":"20101201"}`, 400, "", nil},
		{"date and range", madrid, `{"date":"20110101","from":"20101201","to":"20101202"}`, 400, "", nil},
		{"a range too long", madrid, `{"from":"20000101","to":"20201231"}`, 400, "", nil},
		{"malformed JSON", madrid, `{"date":`, 400, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &starter{}
			srv := httptest.NewServer(newService(t, s, tt.zone, now))
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

// tick posts a Cloud Scheduler tick with its schedule time.
func tick(t *testing.T, url, scheduled string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(extract.HeaderScheduleTime, scheduled)
	req.Header.Set(extract.HeaderJobName, "projects/p/locations/l/jobs/demo-pltv-extract")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestATickRunsOnce(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2011, 3, 2, 5, 17, 0, 0, time.UTC)
	s := &starter{}
	srv := httptest.NewServer(newService(t, s, madrid, func() time.Time { return clock }))
	defer srv.Close()
	// The tick of 06:17 Madrid on the 2nd, delivered three times, the last an hour later: one run, for the
	// date of the schedule time.
	for range 2 {
		if status := tick(t, srv.URL, "2011-03-02T05:17:00Z"); status != 200 {
			t.Fatalf("status %d", status)
		}
	}
	clock = clock.Add(time.Hour)
	if status := tick(t, srv.URL, "2011-03-02T05:17:00Z"); status != 200 {
		t.Fatalf("status %d", status)
	}
	// The next day's tick is a tick of its own.
	clock = clock.Add(24 * time.Hour)
	if status := tick(t, srv.URL, "2011-03-03T05:17:00Z"); status != 200 {
		t.Fatalf("status %d", status)
	}
	if diff := cmp.Diff([][]string{{"20110302"}, {"20110303"}}, s.dates); diff != "" {
		t.Errorf("started (-want +got):\n%s", diff)
	}
	if status := tick(t, srv.URL, "yesterday"); status != 400 {
		t.Errorf("a malformed schedule time: status %d, want 400", status)
	}
}

func TestATickThatFailedRunsAgain(t *testing.T) {
	s := &starter{fail: errors.New("transfer service unavailable")}
	srv := httptest.NewServer(newService(t, s, time.UTC, func() time.Time { return time.Date(2011, 3, 2, 7, 0, 0, 0, time.UTC) }))
	defer srv.Close()
	if status := tick(t, srv.URL, "2011-03-02T06:17:00Z"); status != 500 {
		t.Fatalf("status %d, want 500", status)
	}
	s.fail = nil
	if status := tick(t, srv.URL, "2011-03-02T06:17:00Z"); status != 200 {
		t.Fatalf("the retried tick: status %d", status)
	}
	if diff := cmp.Diff([][]string{{"20110302"}}, s.dates); diff != "" {
		t.Errorf("started (-want +got):\n%s", diff)
	}
}

func TestStarterFailure(t *testing.T) {
	srv := httptest.NewServer(newService(t, &starter{fail: errors.New("transfer service unavailable")}, nil, nil))
	defer srv.Close()
	if status, body := servicetest.Post(t, srv.URL, `{"date":"20101201"}`); status != 500 {
		t.Errorf("status %d: %s", status, body)
	}
}
