package local

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
)

// TestStartReconcilesWhatADeadProcessLeft: a process that stopped mid-way (it closed nothing down: its
// prepare pending, its event claimed, a prediction batch staged) leaves a state that the next Start settles.
func TestStartReconcilesWhatADeadProcessLeft(t *testing.T) {
	ctx := context.Background()
	cfg := config.Default()
	state := t.TempDir()
	rt, err := Open(ctx, cfg, Options{StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Tracker.StartPrepare(ctx, "20101203"); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Tracker.ClaimEvent(ctx, "prepare //pubsub.googleapis.com/t", "1"); err != nil {
		t.Fatal(err)
	}
	batch := cfg.LTVDataset().Table(pipeline.Predictions + "_20101203__batch_00000")
	if err := rt.WH.Insert(ctx, batch, warehouse.Schema{{Name: "x", Type: warehouse.String}}, []warehouse.Row{{"a"}}); err != nil {
		t.Fatal(err)
	}
	rt.Close()

	e, err := Start(ctx, cfg, StartOptions{StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	want := Reconciled{Leftovers: tracking.Leftovers{Prepares: []string{"20101203"}, Leases: 1},
		Staged: []string{batch.Table}}
	if diff := cmp.Diff(want, e.Reconciled, cmp.AllowUnexported(Reconciled{})); diff != "" {
		t.Errorf("Reconciled (-want +got):\n%s", diff)
	}
	pending, _, err := e.Tracker.PendingPrepares(ctx, "20101231")
	if err != nil || len(pending) != 0 {
		t.Errorf("pending prepares after Start: %v, %v; want none", pending, err)
	}
	if info, _ := e.WH.Table(ctx, batch); info.State != warehouse.Missing {
		t.Errorf("the staged batch is %s after Start, want dropped", info.State)
	}
}
