package embedded

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/pltv/pltv/executions"
)

// write stores a record atomically: a reader sees the old record or the new one, never half of one.
func (d *Driver) write(e executions.Execution) error {
	dir := filepath.Join(d.dir, e.Workflow)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write execution record: %w", err)
	}
	b, err := json.MarshalIndent(e, "", "  ")
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
	b, err := os.ReadFile(path)
	if err != nil {
		return executions.Execution{}, fmt.Errorf("read execution record: %w", err)
	}
	var e executions.Execution
	if err := json.Unmarshal(b, &e); err != nil {
		return executions.Execution{}, fmt.Errorf("read execution record %s: %w", path, err)
	}
	return e, nil
}

func sortNewestFirst(list []executions.Execution) {
	sort.SliceStable(list, func(i, j int) bool {
		if !list[i].StartTime.Equal(list[j].StartTime) {
			return list[i].StartTime.After(list[j].StartTime)
		}
		return list[i].ID > list[j].ID
	})
}
