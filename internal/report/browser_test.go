package report_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pltv/pltv/internal/report"
)

// chromium returns the headless browser the report is checked in: Debian's chromium, which .ci/run installs.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("PLTV_REQUIRE_BROWSER") == "1" {
		t.Fatal("no chromium on PATH (apt-get install chromium) and PLTV_REQUIRE_BROWSER=1")
	}
	t.Skip("no chromium on PATH: apt-get install chromium")
	return ""
}

// drawn is what the page drew, as the browser sees it.
type drawn struct {
	PerDay, Distribution, GridCells, Executions, EvalImages, Metrics int
	EvalText                                                         string
}

const measure = `({
	PerDay: document.querySelectorAll('#per-day svg rect.bar').length,
	Distribution: document.querySelectorAll('#distribution svg rect.bar').length,
	GridCells: document.querySelectorAll('#grid td.cell').length,
	Executions: document.querySelectorAll('#executions tr').length - 1,
	EvalImages: [...document.querySelectorAll('#eval img')].filter(i => i.complete && i.naturalWidth > 0).length,
	Metrics: document.querySelectorAll('#metrics tr').length,
	EvalText: document.getElementById('eval').textContent,
})`

// open loads a report file in headless Chromium and returns what it drew and every console error.
func open(t *testing.T, path string) (drawn, []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("allow-file-access-from-files", true))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx); err != nil { // starts the browser: the console is followed from here on
		t.Fatalf("start chromium: %v", err)
	}
	cctx, ccancel := context.WithCancel(bctx)
	defer ccancel()
	messages := chromedp.Console(cctx)
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+path), chromedp.WaitReady("#executions")); err != nil {
		t.Fatalf("load %s in chromium: %v", path, err)
	}
	d, err := chromedp.Run(bctx, chromedp.Evaluate[drawn](measure))
	if err != nil {
		t.Fatalf("measure %s: %v", path, err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[any](`console.log("`+endOfTest+`")`)); err != nil {
		t.Fatal(err)
	}
	var problems []string
	for m, err := range messages {
		if err != nil {
			t.Fatalf("console: %v", err)
		}
		if m.Text == endOfTest {
			break
		}
		if m.IsException() || m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning {
			problems = append(problems, m.String())
		}
	}
	return d, problems
}

const endOfTest = "end of the report test"

func pngChart(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, 29-x*3/4, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sample is a state's report data with every part present.
func sample(t *testing.T, withEval bool) report.Data {
	d := report.Data{Title: "pltv: demo </script><b>", Generated: time.Date(2011, 4, 1, 0, 0, 0, 0, time.UTC),
		Stages: []string{"extract", "prepare", "filter", "predict"}}
	for i, date := range []string{"20110301", "20110302", "20110303"} {
		d.Days = append(d.Days, report.Day{Date: date, Count: int64(10 + i), Value: 1234.5 * float64(i+1)})
		d.Grid = append(d.Grid, report.GridRow{Date: date, Cells: []report.Cell{{State: "rows", Rows: 300}, {State: "rows", Rows: 40},
			{State: "rows", Rows: 12}, {State: "failed", Error: "batch 0: <boom>"}}})
		d.Executions = append(d.Executions, report.Execution{ID: "x" + date, Workflow: "daily", Argument: `{"date":"` + date + `"}`,
			State: "SUCCEEDED", Steps: 34, Start: d.Generated, Seconds: 1.5})
	}
	d.Histogram = []report.Bin{{From: 0, To: 10, Count: 5}, {From: 10, To: 20, Count: 2}, {From: 20, To: 30, Count: 1}}
	if withEval {
		d.Eval = &report.Eval{Charts: []report.Chart{{Name: "deciles", PNG: encode(pngChart(t))}, {Name: "calibration", PNG: encode(pngChart(t))}},
			Metrics: json.RawMessage(`{"model":{"gini":0.41,"mae":120.5},"baseline":{"gini":0.2},"rows":900}`)}
	}
	return d
}

func TestReportLoadsInABrowserWithoutErrorsAndDrawsItsCharts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		withEval bool
		want     drawn
	}{
		{"with evaluation", true, drawn{PerDay: 3, Distribution: 3, GridCells: 12, Executions: 3, EvalImages: 2, Metrics: 4}},
		{"before evaluation", false, drawn{PerDay: 3, Distribution: 3, GridCells: 12, Executions: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "index.html")
			var buf bytes.Buffer
			if err := report.Write(&buf, sample(t, tc.withEval), report.Options{}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			got, problems := open(t, path)
			if len(problems) > 0 {
				t.Errorf("console errors: %q", problems)
			}
			text := got.EvalText
			got.EvalText = ""
			if got != tc.want {
				t.Errorf("drawn = %+v, want %+v", got, tc.want)
			}
			if !tc.withEval && !strings.Contains(text, "has not run") {
				t.Errorf("without an evaluation the report says %q, want that it has not run", text)
			}
		})
	}
}

func TestReportIsSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := report.Write(&buf, sample(t, true), report.Options{}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, ref := range []string{"http://", "https://", `src="/`, "<link rel=\"stylesheet\""} {
		if strings.Contains(strings.ReplaceAll(html, "http://www.w3.org/2000/svg", ""), ref) {
			t.Errorf("the report refers outside itself (%q)", ref)
		}
	}
	if strings.Contains(html, "</script><b>") {
		t.Error("a title reached the page unescaped")
	}
}

func encode(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
