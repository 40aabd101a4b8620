package embedded_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/workflows/engine"
)

// TestReconcileEndsTheExecutionsOfAKilledProcess starts an hour-long execution in a child process, kills the
// child with SIGKILL, and checks that reconciling the state ends that execution FAILED "interrupted" while
// an execution of this live process stays ACTIVE.
func TestReconcileEndsTheExecutionsOfAKilledProcess(t *testing.T) {
	if dir := os.Getenv("PLTV_EXECUTIONS_CHILD_STATE"); dir != "" {
		d := newDriver(t, dir, engine.SystemClock{})
		e, err := d.Start(context.Background(), "nap", nil)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("started", e.ID)
		time.Sleep(time.Hour) // until killed
		return
	}
	state := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestReconcileEndsTheExecutionsOfAKilledProcess$")
	cmd.Env = append(os.Environ(), "PLTV_EXECUTIONS_CHILD_STATE="+state)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var killedID string
	for sc := bufio.NewScanner(out); sc.Scan(); {
		if id, ok := strings.CutPrefix(sc.Text(), "started "); ok {
			killedID = id
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if killedID == "" {
		t.Fatal("the child started no execution")
	}

	d := newDriver(t, state, engine.SystemClock{})
	live, err := d.Start(context.Background(), "nap", nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	ended, err := d.Reconcile(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(ended) != 1 || ended[0].ID != killedID {
		t.Fatalf("Reconcile ended %+v, want the killed child's execution %s only", ended, killedID)
	}
	got, err := d.Get(context.Background(), killedID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != executions.StateFailed || got.Error == nil || !strings.Contains(got.Error.Payload, "interrupted") ||
		!got.EndTime.Equal(now) {
		t.Errorf("killed execution %+v, want FAILED interrupted at %v", got, now)
	}
	if x, _ := d.Get(context.Background(), live.ID); x.State != executions.StateActive {
		t.Errorf("the live execution is %s, want ACTIVE", x.State)
	}
	if again, _ := d.Reconcile(context.Background(), now); len(again) != 0 {
		t.Errorf("a second Reconcile ended %d more", len(again))
	}
}
