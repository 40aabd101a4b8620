package pipeline

import (
	"fmt"
	"time"
)

// DateLayout is the layout of run dates and shard suffixes.
const DateLayout = "20060102"

// ParseDate parses a run date YYYYMMDD.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Format(DateLayout) != s {
		return time.Time{}, fmt.Errorf("date %q: want a calendar date as YYYYMMDD", s)
	}
	return t, nil
}

// AddDays returns the run date n days after date (before, when n is negative).
func AddDays(date string, n int) (string, error) {
	t, err := ParseDate(date)
	if err != nil {
		return "", err
	}
	return t.AddDate(0, 0, n).Format(DateLayout), nil
}

// Dates returns every date from from to to, both included. A range that runs backwards is an error.
func Dates(from, to string) ([]string, error) {
	a, err := ParseDate(from)
	if err != nil {
		return nil, err
	}
	b, err := ParseDate(to)
	if err != nil {
		return nil, err
	}
	if b.Before(a) {
		return nil, fmt.Errorf("date range %s..%s ends before it starts", from, to)
	}
	var out []string
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(DateLayout))
	}
	return out, nil
}
