package workflows_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows"
	"github.com/pltv/pltv/workflows/engine"
)

// days lists the dates from first, n of them, as YYYYMMDD.
func days(first string, n int) []string {
	d, err := time.Parse("20060102", first)
	if err != nil {
		panic(err)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.AddDate(0, 0, i).Format("20060102")
	}
	return out
}

func TestBackfillStartsEachDate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to string
		want     []string
		fails    map[string]int // date → status the extract service answers
		wantFail map[string]any // date → why, in the result
	}{
		{name: "ten days", from: "20200701", to: "20200710", want: days("20200701", 10)},
		{name: "across a month end", from: "20200126", to: "20200204", want: days("20200126", 10)},
		{name: "across February 29", from: "20200225", to: "20200305", want: days("20200225", 10)},
		{name: "across a year end", from: "20201227", to: "20210105", want: days("20201227", 10)},
		{name: "one day", from: "20200701", to: "20200701", want: []string{"20200701"}},
		{name: "a whole leap year, the most a run takes", from: "20200101", to: "20201231", want: days("20200101", 366)},
		{
			name: "a date refused is listed, the others start", from: "20200701", to: "20200703", want: days("20200701", 3),
			fails:    map[string]int{"20200702": http.StatusBadRequest},
			wantFail: map[string]any{"20200702": "HTTP server responded with error code 400: bad date 20200702"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newExtractService(t, tc.fails)
			clock := engine.NewFakeClock(start)
			o := execute(t, workflows.Backfill, clock, map[string]any{"from": tc.from, "to": tc.to},
				map[string]string{"EXTRACT_URL": s.server.URL})
			if o.err != nil {
				t.Fatal(o.err)
			}
			requested := map[string]int{}
			runs := map[string]any{}
			for _, d := range tc.want {
				requested[d] = 1
				if _, failed := tc.fails[d]; !failed {
					runs[d] = "run-" + d
				}
			}
			if diff := cmp.Diff(requested, s.dates); diff != "" {
				t.Errorf("dates started (-want +got):\n%s", diff)
			}
			if tc.wantFail == nil {
				tc.wantFail = map[string]any{}
			}
			want := map[string]any{
				"from": tc.from, "to": tc.to, "dates": int64(len(tc.want)), "started": int64(len(runs)),
				"runs": runs, "failures": tc.wantFail,
			}
			if diff := cmp.Diff(want, o.result); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if s.maxInFlight > 10 {
				t.Errorf("%d extracts started at once, want at most 10", s.maxInFlight)
			}
		})
	}
}

func TestBackfillRetriesUnavailable(t *testing.T) {
	s := newExtractService(t, nil)
	s.unavailable = 2
	o := execute(t, workflows.Backfill, engine.NewFakeClock(start), map[string]any{"from": "20200701", "to": "20200701"},
		map[string]string{"EXTRACT_URL": s.server.URL})
	if o.err != nil {
		t.Fatal(o.err)
	}
	if got := o.result.(map[string]any)["started"]; got != int64(1) || s.dates["20200701"] != 3 {
		t.Errorf("started %v after %d requests, want 1 after 3", got, s.dates["20200701"])
	}
}

func TestBackfillRefusesBadArguments(t *testing.T) {
	for _, tc := range []struct {
		name    string
		arg     any
		env     map[string]string
		wantErr string
	}{
		{name: "from after to", arg: map[string]any{"from": "20200710", "to": "20200701"},
			wantErr: "backfill: from 20200710 is after to 20200701"},
		{name: "more than 366 dates", arg: map[string]any{"from": "20200101", "to": "20210101"},
			wantErr: "backfill: 20200101..20210101 is 367 dates; at most 366 per run"},
		{name: "a date that does not exist", arg: map[string]any{"from": "20210228", "to": "20210230"},
			wantErr: `backfill: from and to must be real dates written YYYYMMDD, got from "20210228" and to "20210230"`},
		{name: "a date with dashes", arg: map[string]any{"from": "2020-07-01", "to": "20200710"},
			wantErr: `got from "2020-07-01" and to "20200710"`},
		{name: "a date too long", arg: map[string]any{"from": "202007011", "to": "20200710"},
			wantErr: `got from "202007011" and to "20200710"`},
		{name: "a date as a number", arg: map[string]any{"from": 20200701, "to": "20200710"},
			wantErr: `got from 20200701 and to "20200710"`},
		{name: "no to", arg: map[string]any{"from": "20200701"},
			wantErr: `backfill: want the argument {"from": "YYYYMMDD", "to": "YYYYMMDD"}`},
		{name: "not a map", arg: "20200701",
			wantErr: `backfill: want the argument {"from": "YYYYMMDD", "to": "YYYYMMDD"}`},
		{name: "no argument", arg: nil,
			wantErr: `backfill: want the argument {"from": "YYYYMMDD", "to": "YYYYMMDD"}`},
		{name: "no extract service", arg: map[string]any{"from": "20200701", "to": "20200710"}, env: map[string]string{},
			wantErr: "backfill: EXTRACT_URL must be set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newExtractService(t, nil)
			env := tc.env
			if env == nil {
				env = map[string]string{"EXTRACT_URL": s.server.URL}
			}
			o := execute(t, workflows.Backfill, engine.NewFakeClock(start), tc.arg, env)
			if o.err == nil {
				t.Fatalf("execution succeeded with %v, want an error", o.result)
			}
			if msg, _ := failure(t, o.err); !strings.Contains(msg, tc.wantErr) {
				t.Errorf("error %q does not say %q", msg, tc.wantErr)
			}
			if len(s.dates) != 0 {
				t.Errorf("extracts started for %v", s.dates)
			}
		})
	}
}
