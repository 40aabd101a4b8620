package extract_test

import (
	"context"
	"testing"
	"time"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/services/extract"
)

// FuzzDates checks that any request either names real dates, in order, at most MaxDates of them, or is
// refused.
func FuzzDates(f *testing.F) {
	for _, s := range [][3]string{{"20101201", "", ""}, {"", "20101201", "20101231"}, {"", "20000101", "29991231"},
		{"2010121", "", ""}, {"", "20101231", "20101201"}, {"20100229", "", ""}} {
		f.Add(s[0], s[1], s[2])
	}
	svc := newService(f, starterFunc(nil), nil, func() time.Time { return time.Date(2011, 3, 1, 0, 0, 0, 0, time.UTC) })
	f.Fuzz(func(t *testing.T, date, from, to string) {
		dates, err := svc.Dates(extract.Request{Date: date, From: from, To: to})
		if err != nil {
			return
		}
		if len(dates) == 0 || len(dates) > extract.MaxDates {
			t.Fatalf("%d dates", len(dates))
		}
		for i, d := range dates {
			if err := events.CheckDate(d); err != nil {
				t.Fatal(err)
			}
			if i > 0 && d <= dates[i-1] {
				t.Fatalf("dates out of order: %v", dates)
			}
		}
	})
}

type starterFunc func(context.Context, []string) ([]extract.Run, error)

func (f starterFunc) StartRuns(ctx context.Context, dates []string) ([]extract.Run, error) {
	return f(ctx, dates)
}
