package local_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/internal/testdata"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// decemberDays links the Online Retail day files of December 2010's days into a directory.
func decemberDays(t *testing.T, days ...string) string {
	t.Helper()
	src := testdata.OnlineRetail(t)
	dir := t.TempDir()
	for _, d := range days {
		name := "2010-12-" + d + ".csv"
		if err := os.Symlink(filepath.Join(src, name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func openInit(t *testing.T, dir string) *local.Runtime {
	t.Helper()
	wh, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	rt, err := local.Open(context.Background(), config.Default(), local.Options{WH: wh, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	if _, err := rt.Init(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return rt
}

func runStages(t *testing.T, rt *local.Runtime, stages []string, dates ...string) {
	t.Helper()
	if _, err := pipeline.RunRange(context.Background(), rt.StageFuncs(), stages, dates, 2, nil); err != nil {
		t.Fatal(err)
	}
}

// TestStaleFiltersFollowedUp loads a source day late, after the filters of the days after it ran: preparing
// it makes those filters stale (status says so and names the day), the follow-ups name them, and computing
// them again ends equal to one clean run over the whole source.
func TestStaleFiltersFollowedUp(t *testing.T) {
	ctx := context.Background()
	stages := []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter}
	dates, err := pipeline.Dates("20101202", "20101209")
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"01", "02", "03", "05", "06", "07", "08"}
	clean := openInit(t, decemberDays(t, all...))
	runStages(t, clean, stages, dates...)

	rt := openInit(t, decemberDays(t, "01", "02", "05", "06", "07", "08"))
	runStages(t, rt, stages, dates...)
	if fu, err := rt.FollowUps(ctx, nil); err != nil || len(fu) != 0 {
		t.Fatalf("follow-ups of a clean run: %v, %v; want none", fu, err)
	}
	if _, err := rt.Init(ctx, decemberDays(t, all...)); err != nil {
		t.Fatal(err)
	}
	runStages(t, rt, stages[:2], "20101204")
	fu, err := rt.FollowUps(ctx, []string{"20101204"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := local.FollowUpDates(fu), []string{"20101206", "20101207", "20101208", "20101209"}; !cmp.Equal(got, want) {
		t.Fatalf("follow-ups %v, want %v", fu, want)
	}
	for _, f := range fu {
		if !strings.Contains(f.Reason, "20101204") {
			t.Errorf("follow-up %s: %q does not name the day that changed", f.Date, f.Reason)
		}
	}
	st, err := rt.Status(ctx, "20101207")
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 1 || st[0].State != local.DateStale || !strings.Contains(st[0].Reason, "20101204") {
		t.Errorf("status of 20101207: %+v, want stale naming 20101204", st)
	}
	runStages(t, rt, stages, append([]string{"20101204"}, local.FollowUpDates(fu)...)...)
	if fu, err := rt.FollowUps(ctx, nil); err != nil || len(fu) != 0 {
		t.Fatalf("follow-ups after computing them: %v, %v; want none", fu, err)
	}
	names := []string{pipeline.AllDailyTransactions, pipeline.PreparedDailyTransactions, pipeline.NewCustomersTransactions}
	want, err := tablesum.Dataset(ctx, clean.WH, clean.Config.LTVDataset(), names...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tablesum.Dataset(ctx, rt.WH, rt.Config.LTVDataset(), names...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tables differ from one clean run (-clean +followed up):\n%s", diff)
	}
}
