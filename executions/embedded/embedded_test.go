package embedded_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/executions/embedded"
	"github.com/pltv/pltv/executions/executionstest"
	"github.com/pltv/pltv/workflows/engine"
)

func newDriver(t *testing.T, stateDir string, clock engine.Clock) *embedded.Driver {
	t.Helper()
	srcDir := t.TempDir()
	for name, src := range executionstest.Workflows {
		if err := os.WriteFile(filepath.Join(srcDir, name+".yaml"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(srcDir, "nap.yaml"), []byte(napWorkflow), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := embedded.New(embedded.Options{
		StateDir: stateDir,
		Source:   embedded.DirSource(srcDir),
		Engine:   func(string) engine.Options { return engine.Options{Clock: clock} },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

const napWorkflow = `
- nap:
    call: sys.sleep
    args:
      seconds: 3600
- r:
    return: ${sys.now()}
`

func TestConformance(t *testing.T) {
	executionstest.Run(t, func(t *testing.T) executions.Executions {
		return newDriver(t, t.TempDir(), engine.NewFakeClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
	}, executionstest.Features{Steps: true, ErrorContext: true})
}

// TestRecordsOutliveTheProcess lists, from a second driver on the same state directory, what a first one
// ran: the way `pltv executions list` sees what `pltv backfill` started.
func TestRecordsOutliveTheProcess(t *testing.T) {
	state := t.TempDir()
	clock := engine.NewFakeClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	first := newDriver(t, state, clock)
	e, err := first.Start(context.Background(), "nap", nil)
	if err != nil {
		t.Fatal(err)
	}
	done, err := first.Wait(context.Background(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()

	second := newDriver(t, state, clock)
	list, err := second.List(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != e.ID || list[0].State != executions.StateSucceeded {
		t.Fatalf("List() = %+v, want the one execution of the first driver", list)
	}
	if got := list[0].EndTime.Sub(list[0].StartTime); got != time.Hour {
		t.Errorf("the nap took %v on the execution clock, want 1h", got)
	}
	if done.Result != `1704070800.0` {
		t.Errorf("result = %s, want the clock an hour later", done.Result)
	}
}

func TestStartRefusesAnInvalidWorkflow(t *testing.T) {
	d := newDriver(t, t.TempDir(), nil)
	for _, name := range []string{"missing", "../echo"} {
		if _, err := d.Start(context.Background(), name, nil); err == nil {
			t.Errorf("Start(%q) succeeded", name)
		}
	}
}

func TestCancel(t *testing.T) {
	d := newDriver(t, t.TempDir(), engine.SystemClock{}) // a real hour-long sleep, cut short
	e, err := d.Start(context.Background(), "nap", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Cancel(context.Background(), e.ID); err != nil {
		t.Fatal(err)
	}
	got, err := d.Get(context.Background(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != executions.StateCancelled {
		t.Errorf("state = %s, want CANCELLED", got.State)
	}
}

func TestPrint(t *testing.T) {
	d := newDriver(t, t.TempDir(), engine.NewFakeClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
	ok, _ := d.Start(context.Background(), "count", 3)
	bad, _ := d.Start(context.Background(), "fail", nil)
	okE, _ := d.Wait(context.Background(), ok.ID)
	badE, _ := d.Wait(context.Background(), bad.ID)
	list, _ := d.List(context.Background(), "")
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

	var buf bytes.Buffer
	if err := executions.WriteList(&buf, list, false, now); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ID", "STATE", ok.ID, "SUCCEEDED", "FAILED", "count", "fail"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("list output lacks %q:\n%s", want, buf.String())
		}
	}
	buf.Reset()
	if err := executions.WriteDescribe(&buf, badE, false, now); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"state:     FAILED", `"message": "bad input"`, `in step "check", routine "main", line: 5`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("describe output lacks %q:\n%s", want, buf.String())
		}
	}
	buf.Reset()
	if err := executions.WriteDescribe(&buf, okE, true, now); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"result": "6"`) || !strings.Contains(buf.String(), `"steps": 6`) {
		t.Errorf("describe --json output:\n%s", buf.String())
	}
}
