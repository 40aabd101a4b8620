package embedded

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pltv/pltv/executions"
)

// Interrupted is the reason an execution whose process died ends FAILED with.
const Interrupted = "interrupted"

// Reconcile ends the executions left ACTIVE by a process that is gone (killed, crashed): each is recorded
// FAILED with the reason "interrupted", at now, and returned. Executions running in this process or in
// another live one are left alone. The embedded runtime calls it when it starts, so that no execution stays
// ACTIVE forever and the throttle does not count the dead.
func (d *Driver) Reconcile(_ context.Context, now time.Time) ([]executions.Execution, error) {
	paths, err := filepath.Glob(filepath.Join(d.dir, "*", "*.json"))
	if err != nil {
		return nil, fmt.Errorf("reconcile executions: %w", err)
	}
	var ended []executions.Execution
	for _, p := range paths {
		r, err := readOwned(p)
		if err != nil {
			return ended, fmt.Errorf("reconcile executions: %w", err)
		}
		if r.State != executions.StateActive || processAlive(r.PID) {
			continue
		}
		e := r.Execution
		e.State, e.EndTime = executions.StateFailed, now
		if e.EndTime.Before(e.StartTime) {
			e.EndTime = e.StartTime
		}
		who := "the process that ran it ended"
		if r.PID > 0 {
			who = fmt.Sprintf("process %d, which ran it, ended", r.PID)
		}
		e.Error = &executions.Error{Payload: fmt.Sprintf("%q", Interrupted+": "+who+" before the execution did")}
		if err := d.write(e); err != nil {
			return ended, fmt.Errorf("reconcile executions: %w", err)
		}
		d.opts.Logger.Warn("execution interrupted", "execution", e.ID, "workflow", e.Workflow, "pid", r.PID)
		ended = append(ended, e)
	}
	return ended, nil
}

// processAlive says whether a process of this id runs (this one included); 0 is no process.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
