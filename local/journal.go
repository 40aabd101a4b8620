package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// JournalFile records, for the commands that set out to compute date ranges on a state (run, backfill,
// demo, and the backfills `pltv serve` runs for its clients), the ranges and whether the command ended. A
// command the next holder of the state finds unended was killed: `pltv status` names the dates it left
// unfinished as interrupted, with the command that reruns them.
const JournalFile = "commands.json"

// journalKeep is how many entries the journal keeps, newest last.
const journalKeep = 100

// JournalEntry is one command's record.
type JournalEntry struct {
	PID     int         `json:"pid"`
	Command string      `json:"command"`
	Started time.Time   `json:"started"`
	Ranges  []DateRange `json:"ranges"`
	Ended   *time.Time  `json:"ended,omitempty"`
	// Interrupted is set by the next holder of the state: the command ended without releasing it.
	Interrupted bool `json:"interrupted,omitempty"`
}

// DateRange is a range of run dates, both ends included.
type DateRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Contains says whether date is in the range.
func (r DateRange) Contains(date string) bool { return r.From <= date && date <= r.To }

// Covers says whether the entry set out to compute date.
func (e JournalEntry) Covers(date string) bool {
	return slices.ContainsFunc(e.Ranges, func(r DateRange) bool { return r.Contains(date) })
}

// ReadJournal reads the state's journal (none when it has none).
func ReadJournal(dir string) ([]JournalEntry, error) {
	b, err := os.ReadFile(filepath.Join(dir, JournalFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var es []JournalEntry
	if err := json.Unmarshal(b, &es); err != nil {
		return nil, fmt.Errorf("journal %s: %w", filepath.Join(dir, JournalFile), err)
	}
	return es, nil
}

// writeJournal replaces the journal in one rename, so a reader sees the old one or the new one.
func writeJournal(dir string, es []JournalEntry) error {
	if len(es) > journalKeep {
		es = es[len(es)-journalKeep:]
	}
	b, err := json.MarshalIndent(es, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, JournalFile+".*")
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("journal: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, JournalFile)); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// markInterrupted flags the unended entries of the journal: the caller holds the state's lock, so the
// commands that wrote them are gone.
func markInterrupted(dir string) error {
	es, err := ReadJournal(dir)
	if err != nil {
		return err
	}
	changed := false
	for i := range es {
		if es[i].Ended == nil && !es[i].Interrupted {
			es[i].Interrupted, changed = true, true
		}
	}
	if !changed {
		return nil
	}
	return writeJournal(dir, es)
}

// updateEntry applies change to the holder's entry (started is its key), adding it when it is not there.
func updateEntry(dir string, h Holder, change func(*JournalEntry)) error {
	es, err := ReadJournal(dir)
	if err != nil {
		return err
	}
	i := len(es)
	for k := range es {
		if es[k].PID == h.PID && es[k].Started.Equal(h.Since) {
			i = k
		}
	}
	if i == len(es) {
		es = append(es, JournalEntry{PID: h.PID, Command: h.Command, Started: h.Since, Ranges: []DateRange{}})
	}
	change(&es[i])
	return writeJournal(dir, es)
}

// Interruption says why date is not finished when a killed command set out to compute it: the newest command
// that covered date was interrupted. It is "" when no such command is on record, or a later one covered date
// (what that one left is said by the date's stages).
func Interruption(journal []JournalEntry, date string) string {
	for i := len(journal) - 1; i >= 0; i-- {
		e := journal[i]
		if !e.Covers(date) {
			continue
		}
		if !e.Interrupted {
			return ""
		}
		how := "rerun it to finish the date"
		if f := strings.Fields(e.Command); slices.Contains(f, "serve") && !slices.Contains(f, "backfill") {
			// pltv serve ran the backfill for a client: the backfill is what to run again
			if i := slices.IndexFunc(e.Ranges, func(r DateRange) bool { return r.Contains(date) }); i >= 0 {
				r := e.Ranges[i]
				how = fmt.Sprintf("run `pltv backfill --from %s --to %s` to finish the date", r.From, r.To)
			}
		}
		return fmt.Sprintf("interrupted: `%s` (PID %d, started %s) was killed before it finished; %s",
			e.Command, e.PID, e.Started.Local().Format(time.DateTime), how)
	}
	return ""
}
