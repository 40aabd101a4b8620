package pipeline_test

import (
	"strings"
	"testing"

	"github.com/pltv/pltv/pipeline"
)

// FuzzDates: whatever two strings a request or a command line names, a range is either refused or made of
// calendar dates written YYYYMMDD in order, from the first to the last, so nothing else reaches a table
// name or a query.
//
//	go test -run '^$' -fuzz FuzzDates -fuzztime 1m ./pipeline/
func FuzzDates(f *testing.F) {
	for _, s := range [][2]string{
		{"20101202", "20101209"}, {"20101209", "20101202"}, {"20200229", "20200301"}, {"20210229", "20210301"},
		{"2020-01-01", "20200102"}, {"20200101'; DROP TABLE x; --", "20200102"}, {"", ""}, {"00000101", "00000102"},
		{"99991231", "99991231"}, {"２０２００１０１", "20200101"}, {"20200101\n", "20200101"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		if a, aerr := pipeline.ParseDate(from); aerr == nil {
			if b, berr := pipeline.ParseDate(to); berr == nil && b.Sub(a).Hours() > 24*3700 {
				t.Skip("a range of more than ten years: slow to list, nothing new to learn")
			}
		}
		dates, err := pipeline.Dates(from, to)
		if len(from) != 8 || len(to) != 8 {
			if err == nil && len(dates) > 0 && (dates[0] != from || dates[len(dates)-1] != to) {
				t.Fatalf("Dates(%q, %q) = %v", from, to, dates)
			}
		}
		if err != nil {
			return
		}
		if dates[0] != from || dates[len(dates)-1] != to {
			t.Fatalf("Dates(%q, %q) runs %s..%s", from, to, dates[0], dates[len(dates)-1])
		}
		for i, d := range dates {
			if len(d) != 8 || strings.Trim(d, "0123456789") != "" {
				t.Fatalf("Dates(%q, %q)[%d] = %q, not YYYYMMDD", from, to, i, d)
			}
			if i > 0 && d <= dates[i-1] {
				t.Fatalf("Dates(%q, %q) out of order at %d: %q after %q", from, to, i, d, dates[i-1])
			}
		}
	})
}

// FuzzStagesRefuseBadDates: a stage given anything but a calendar date YYYYMMDD refuses it before any query
// reaches the warehouse, so that a date cannot carry SQL into a table name or a query.
//
//	go test -run '^$' -fuzz FuzzStagesRefuseBadDates -fuzztime 1m ./pipeline/
func FuzzStagesRefuseBadDates(f *testing.F) {
	for _, s := range []string{"20101202", "20101202'; DROP TABLE `pltv.metadata`; --", "2010120", "20101232",
		"2010-12-02", "20101202 ", "*", "20101202` UNION ALL SELECT 1 --"} {
		f.Add(s)
	}
	p := &pipeline.Pipeline{WH: refusingWarehouse{}}
	f.Fuzz(func(t *testing.T, date string) {
		if _, err := pipeline.ParseDate(date); err == nil {
			return // a real date: the stages may run
		}
		stages := map[string]func() error{
			"extract":  func() error { _, err := p.Extract(t.Context(), date); return err },
			"prepare":  func() error { _, err := p.Prepare(t.Context(), date); return err },
			"filter":   func() error { _, err := p.Filter(t.Context(), date); return err },
			"plan":     func() error { _, err := p.PlanPredictions(t.Context(), date); return err },
			"batch":    func() error { _, err := p.PredictBatch(t.Context(), date, 0); return err },
			"finish":   func() error { _, err := p.FinishPredictions(t.Context(), date, 1); return err },
			"complete": func() error { _, err := p.Complete(t.Context(), date); return err },
		}
		for name, run := range stages {
			err := run()
			if err == nil || strings.Contains(err.Error(), errReached.Error()) {
				t.Fatalf("%s of %q: %v, want it refused before the warehouse", name, date, err)
			}
		}
	})
}
