package pipeline_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/pipeline"
)

// TestOrderDoesNotMatter runs the same dates in a clean order (one run over the union) and out of order (a
// later range first, then the earlier one), and compares every table, by rows and content: the later
// range's filters prepare the days of their window that were not prepared yet, so returning customers are
// never taken for new ones.
func TestOrderDoesNotMatter(t *testing.T) {
	stages := []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter}
	clean := openRuntime(t, config.Default(), nil, "2010-12-0", "2010-12-1")
	run(t, clean, stages, "20101202", "20101216")

	later := openRuntime(t, config.Default(), nil, "2010-12-0", "2010-12-1")
	run(t, later, stages, "20101210", "20101216")
	run(t, later, stages, "20101202", "20101209")

	ctx := context.Background()
	want, err := tablesum.Dataset(ctx, clean.WH, clean.Config.LTVDataset(), pipeline.AllDailyTransactions, pipeline.PreparedDailyTransactions, pipeline.NewCustomersTransactions)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tablesum.Dataset(ctx, later.WH, later.Config.LTVDataset(), pipeline.AllDailyTransactions, pipeline.PreparedDailyTransactions, pipeline.NewCustomersTransactions)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 30 {
		t.Fatalf("the clean run wrote %d tables, want the three stages' of 15 dates", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("later range first differs from one clean run (-clean +out of order):\n%s", diff)
	}
}
