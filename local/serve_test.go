package local_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/internal/testdata"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/local/router"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/tracking/embedded"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// recordedExecutions is an executions port that records the workflows started, each staying ACTIVE.
type recordedExecutions struct {
	mu      sync.Mutex
	started []executions.Execution
}

func (x *recordedExecutions) Start(_ context.Context, workflow string, argument any) (executions.Execution, error) {
	b, err := json.Marshal(argument)
	if err != nil {
		return executions.Execution{}, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	e := executions.Execution{ID: fmt.Sprint(len(x.started) + 1), Workflow: workflow, Argument: string(b), State: executions.StateActive}
	x.started = append(x.started, e)
	return e, nil
}

func (x *recordedExecutions) Get(context.Context, string) (executions.Execution, error) {
	return executions.Execution{}, executions.ErrNotFound
}

func (x *recordedExecutions) List(context.Context, string) ([]executions.Execution, error) {
	return nil, nil
}

// dates returns the dates of the started workflows, sorted.
func (x *recordedExecutions) dates(t *testing.T) []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []string
	for _, e := range x.started {
		var a struct{ Date string }
		if err := json.Unmarshal([]byte(e.Argument), &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a.Date)
	}
	sort.Strings(out)
	return out
}

// sourceDir links the Online Retail day files whose names start with the prefixes into a directory.
func sourceDir(t testing.TB, prefixes ...string) string {
	t.Helper()
	src := testdata.OnlineRetail(t)
	dir := t.TempDir()
	for _, p := range prefixes {
		matches, _ := filepath.Glob(filepath.Join(src, p+"*.csv"))
		for _, m := range matches {
			if err := os.Symlink(m, filepath.Join(dir, filepath.Base(m))); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// openRuntime opens the embedded runtime on an in-memory DuckDB whose jobs go to jobs (when not nil), with
// the source days loaded.
func openRuntime(t testing.TB, cfg config.Config, jobs *local.JobEvents, days ...string) *local.Runtime {
	t.Helper()
	opts := []duckdb.Option{duckdb.WithJobPrefix(cfg.JobPrefix())}
	if jobs != nil {
		opts = append(opts, duckdb.WithJobHook(jobs.Hook))
	}
	wh, err := duckdb.Open("", opts...)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := local.Open(context.Background(), cfg, local.Options{WH: wh, Tracking: embedded.NewMemory(), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	if _, err := rt.Init(context.Background(), sourceDir(t, days...)); err != nil {
		t.Fatal(err)
	}
	return rt
}

// newCustomerRows counts the rows of each date's new-customer table.
func newCustomerRows(t testing.TB, rt *local.Runtime, dates []string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, d := range dates {
		info, err := rt.WH.Table(context.Background(), rt.Config.LTVDataset().Shard(pipeline.NewCustomersTransactions, d))
		if err != nil {
			t.Fatal(err)
		}
		if info.State != warehouse.Missing {
			out[d] = info.Rows
		}
	}
	return out
}

// TestServeOnlineRetailEndToEnd runs a week of Online Retail through the services, with nothing but events
// between the stages: the extract service starts the local scheduled extract, whose TRANSFER_RUN_FINISHED
// notification the router delivers to prepare, whose job's completion event it delivers to filter, whose
// job's completion event it delivers to predictstart, which starts the daily workflow. Once with a kind
// router, once with one that duplicates and reorders deliveries; both must give what running the stages
// directly gives, and one workflow per date.
func TestServeOnlineRetailEndToEnd(t *testing.T) {
	days := []string{"2010-12-0"} // 2010-12-01 .. 2010-12-09, no Saturday
	const from, to = "20101202", "20101210"
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		t.Fatal(err)
	}
	direct := openRuntime(t, config.Default(), nil, days...)
	if _, err := pipeline.RunRange(context.Background(), direct.StageFuncs(), []string{"extract", "prepare", "filter"}, dates, 2, nil); err != nil {
		t.Fatal(err)
	}
	want := newCustomerRows(t, direct, dates)
	if len(want) != 8 { // 20101205 extracts the Saturday 4th: no data
		t.Fatalf("direct run filtered %d dates: %v", len(want), want)
	}

	for _, tt := range []struct {
		name   string
		faults router.Faults
	}{
		{"kind delivery", router.Faults{}},
		{"duplicates and reordering", router.Faults{Seed: 42, Duplicate: 0.5, Reorder: 4}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			jobs := local.NewJobEvents("", "", nil)
			rt := openRuntime(t, config.Default(), jobs, days...)
			x := &recordedExecutions{}
			srv, err := local.Serve(context.Background(), rt, local.ServeOptions{
				Jobs: jobs, Executions: func(map[string]string) (executions.Executions, error) { return x, nil },
				Router: router.Options{Faults: tt.faults},
			})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			results, err := srv.Backfill(ctx, from, to)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				wantOutcome := services.Started
				if r.Date == "20101205" {
					wantOutcome = services.Skipped
				}
				if r.Outcome != wantOutcome {
					t.Errorf("%s: %s %s (%s), want %s", r.Date, r.Stage, r.Outcome, r.Reason, wantOutcome)
				}
			}
			if err := srv.Router.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			var wantStarted []string
			for d := range want {
				wantStarted = append(wantStarted, d)
			}
			sort.Strings(wantStarted)
			if diff := cmp.Diff(wantStarted, x.dates(t)); diff != "" {
				t.Errorf("daily workflows started (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, newCustomerRows(t, rt, dates)); diff != "" {
				t.Errorf("new customers through the services vs the stages run directly (-want +got):\n%s", diff)
			}
		})
	}
}
