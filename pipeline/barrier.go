package pipeline

import "sort"

// WaitingOn returns the pending prepares that filter for date must wait for: those of date itself and of every
// earlier date, because the new-customer test reads the past. Prepares of later dates never hold it back (the
// original framework waited for every pending prepare). Dates are YYYYMMDD, so they order as strings.
func WaitingOn(pending []string, date string) []string {
	var out []string
	for _, d := range pending {
		if d <= date {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

// Released returns the dates waiting for filter that may proceed once the prepares still pending are the
// given ones: the notify half of wait-and-notify.
func Released(waiting, pending []string) []string {
	var out []string
	for _, d := range waiting {
		if len(WaitingOn(pending, d)) == 0 {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}
