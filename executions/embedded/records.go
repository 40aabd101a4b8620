package embedded

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/pltv/pltv/executions"
)

// record is an execution as stored: with the process that runs it while it is active, so that a later
// process can tell an execution whose process died from one still running.
type record struct {
	executions.Execution
	PID int `json:"pid,omitempty"`
}

// write stores a record atomically: a reader sees the old record or the new one, never half of one.
func (d *Driver) write(e executions.Execution) error {
	dir := filepath.Join(d.dir, e.Workflow)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write execution record: %w", err)
	}
	r := record{Execution: e}
	if e.State == executions.StateActive {
		r.PID = os.Getpid()
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("write execution record: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+e.ID+"-*.tmp")
	if err != nil {
		return fmt.Errorf("write execution record: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write execution record: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write execution record: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, e.ID+".json")); err != nil {
		return fmt.Errorf("write execution record: %w", err)
	}
	return nil
}

func readRecord(path string) (executions.Execution, error) {
	r, err := readOwned(path)
	return r.Execution, err
}

func readOwned(path string) (record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return record{}, fmt.Errorf("read execution record: %w", err)
	}
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return record{}, fmt.Errorf("read execution record %s: %w", path, err)
	}
	return r, nil
}

func sortNewestFirst(list []executions.Execution) {
	sort.SliceStable(list, func(i, j int) bool {
		if !list[i].StartTime.Equal(list[j].StartTime) {
			return list[i].StartTime.After(list[j].StartTime)
		}
		return list[i].ID > list[j].ID
	})
}
