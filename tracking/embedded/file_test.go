package embedded_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/embedded"
)

const childEnv = "PLTV_TRACKING_TEST_CHILD_STATE"

// TestStateSurvivesProcess has a child process leave a pending prepare and a queued task in a state
// directory, then reads them from this one, as `pltv status` reads what an earlier command left.
func TestStateSurvivesProcess(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		leaveState(t, dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStateSurvivesProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}

	tr, closeStore := open(t, dir, time.Second)
	defer closeStore()
	ctx := context.Background()
	pending, _, err := tr.PendingPrepares(ctx, "20200511")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"20200511"}, pending); diff != "" {
		t.Errorf("pending prepares (-want +got):\n%s", diff)
	}
	var out bytes.Buffer
	if err := tracking.List(ctx, tr, &out, tracking.ListOptions{}, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"food_pltv_long_running_tasks", "food_pltv_prepare_daily_tx_tracking"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("listing lacks %s:\n%s", want, out.String())
		}
	}
	res, err := tr.Poll(ctx, 10)
	if err != nil || len(res.Claimed) != 1 || string(res.Claimed[0].Payload) != "from the child" {
		t.Errorf("Poll = %+v, %v; want the child's task", res, err)
	}
}

func leaveState(t *testing.T, dir string) {
	tr, closeStore := open(t, dir, time.Second)
	defer closeStore()
	ctx := context.Background()
	if err := tr.StartPrepare(ctx, "20200511"); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Enqueue(ctx, tracking.TaskSpec{Kind: "filter", Payload: []byte("from the child")}); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, dir string, lockTimeout time.Duration) (*tracking.Tracker, func()) {
	t.Helper()
	s, err := embedded.Open(filepath.Join(dir, embedded.FileName), embedded.Options{LockTimeout: lockTimeout})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	tr, err := tracking.New(s, tracking.Options{Prefix: "food_pltv"})
	if err != nil {
		t.Fatal(err)
	}
	return tr, func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), embedded.FileName)
	first, err := embedded.Open(path, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = embedded.Open(path, embedded.Options{LockTimeout: 20 * time.Millisecond})
	if !errors.Is(err, embedded.ErrLocked) {
		t.Errorf("second Open = %v, want ErrLocked", err)
	}
}

func TestOpenBadPath(t *testing.T) {
	if _, err := embedded.Open(filepath.Join(t.TempDir(), "missing", "dir", embedded.FileName), embedded.Options{}); err == nil {
		t.Error("Open in a missing directory: no error")
	}
}

func TestValueNormalization(t *testing.T) {
	s := embedded.NewMemory()
	ctx := context.Background()
	in := tracking.Fields{
		"int": 3, "int32": int32(-4), "uint8": uint8(5), "float32": float32(1.5),
		"fields": tracking.Fields{"t": time.Date(2020, 1, 1, 1, 0, 0, 999, time.FixedZone("X", 3600))},
	}
	if err := s.Set(ctx, "c", "d", in); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "c", "d")
	if err != nil {
		t.Fatal(err)
	}
	want := tracking.Fields{
		"int": int64(3), "int32": int64(-4), "uint8": int64(5), "float32": 1.5,
		"fields": map[string]any{"t": time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	if diff := cmp.Diff(want, got.Fields); diff != "" {
		t.Errorf("normalised values (-want +got):\n%s", diff)
	}
	for name, v := range map[string]any{"struct": struct{}{}, "uint64 overflow": uint64(1 << 63), "chan": make(chan int)} {
		if err := s.Set(ctx, "c", "bad", tracking.Fields{"v": v}); err == nil {
			t.Errorf("Set of a %s: no error", name)
		}
	}
}
