package report_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/internal/report"
	"github.com/pltv/pltv/internal/synth"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
)

func TestTheReportOfARealStateDrawsItsPredictions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if _, err := synth.Generate(ctx, synth.Options{Out: src, Days: 12, Seed: 3, Customers: 300}, nil); err != nil {
		t.Fatal(err)
	}
	rt, err := local.Open(ctx, config.Default(), local.Options{StateDir: filepath.Join(dir, "state")})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if _, err := rt.Init(ctx, src); err != nil {
		t.Fatal(err)
	}
	dates, _ := pipeline.Dates("20101202", "20101208")
	order := []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter, pipeline.StagePredict}
	if _, err := pipeline.RunRange(ctx, rt.StageFuncs(), order, dates, 2, nil); err != nil {
		t.Fatal(err)
	}
	path, err := report.WriteFile(ctx, rt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(rt.StateDir, "report", "index.html"); path != want {
		t.Errorf("report at %s, want %s", path, want)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("the report's temporary file is left: %v", err)
	}
	got, problems := open(t, path)
	if len(problems) > 0 {
		t.Errorf("console errors: %q", problems)
	}
	if got.PerDay == 0 || got.Distribution == 0 || got.GridCells < len(dates)*len(order) {
		t.Errorf("drawn = %+v: want a bar per date with predictions, a histogram and every date's stages", got)
	}
}
