package local

import (
	"sort"
	"strings"

	"github.com/pltv/pltv/pipeline"
)

// Intend records that this command sets out to compute the run dates from..to (see JournalFile); nothing is
// recorded in the cloud, whose executions say the same.
func (r *Runtime) Intend(from, to string) error {
	if r == nil {
		return nil
	}
	return r.Lock.Intend(from, to)
}

// markInterruptions names, among the dates of out and those a killed command set out to compute, the ones
// that command left unfinished: a date still pending, or never started, whose newest covering command was
// killed is pending for that reason. date "" means every date.
func (r *Runtime) markInterruptions(out []DateStatus, date string) ([]DateStatus, error) {
	if r.StateDir == "" {
		return out, nil
	}
	journal, err := ReadJournal(r.StateDir)
	if err != nil || len(journal) == 0 {
		return out, err
	}
	seen := map[string]bool{}
	for i, d := range out {
		seen[d.Date] = true
		if d.State != DatePending {
			continue
		}
		if why := Interruption(journal, d.Date); why != "" {
			if strings.HasPrefix(d.Reason, waitsForWindow) { // a failed day blocks it: keep saying which
				why += " (" + d.Reason + ")"
			}
			out[i].Reason = why
		}
	}
	added := false
	for _, e := range journal {
		if !e.Interrupted {
			continue
		}
		for _, rg := range e.Ranges {
			dates, err := pipeline.Dates(rg.From, rg.To)
			if err != nil {
				continue // not a range a command would have recorded: nothing to name
			}
			for _, d := range dates {
				if seen[d] || (date != "" && d != date) {
					continue
				}
				if why := Interruption(journal, d); why != "" {
					seen[d], added = true, true
					out = append(out, DateStatus{Date: d, State: DatePending, Reason: why, Stages: []StageStatus{}})
				}
			}
		}
	}
	if added {
		sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	}
	return out, nil
}
