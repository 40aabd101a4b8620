package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	bqapi "google.golang.org/api/bigquery/v2"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/executions/cloudworkflows"
	"github.com/pltv/pltv/executions/cloudworkflows/cwfaketest"
	"github.com/pltv/pltv/internal/emulator"
	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/pulumi/infra"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/firestore"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/bigquery"
	"github.com/pltv/pltv/warehouse/bigquery/bqfaketest"
	"github.com/pltv/pltv/workflows/engine"
)

func TestMain(m *testing.M) { os.Exit(emulator.Main(m)) }

const cloudProject = "pltv-demo"

// deployment is a deployment on fakes: BigQuery (the REST fake), Firestore (the emulator) and the Workflows
// Executions API (the gRPC fake, running the stand-in workflows in the local engine), with a config file of
// RUNTIME cloud naming a deployment of its own, so that tests sharing the emulator do not meet.
type deployment struct {
	cfg     config.Config
	cfgPath string
	bq      *bqfaketest.Server
	clients cloudClients
}

var deployments atomic.Int32

func newDeployment(t *testing.T, workflows map[string]string) *deployment {
	t.Helper()
	emulator.Require(t, emulator.Firestore)
	name := fmt.Sprintf("cli%d%d", time.Now().UnixNano()%1e6, deployments.Add(1))
	dir := t.TempDir()
	path := filepath.Join(dir, "pltv.yaml")
	yaml := fmt.Sprintf("RUNTIME: cloud\nDEPLOYMENT_NAME: %s\nDEFAULT_GCP_PROJECT: %s\nBQ_LTV_GCP_PROJECT: %s\nBQ_LTV_GCP_BROAD_REGION: US\n",
		name, cloudProject, cloudProject)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	d := &deployment{cfg: cfg, cfgPath: path, bq: bqfaketest.New(t)}
	d.clients.BigQuery = d.bq.ClientOptions()
	deployed := map[string]string{}
	for kind, src := range workflows {
		deployed[deployedWorkflow(cfg, kind)] = src
	}
	d.clients.Workflows = cwfaketest.Serve(t, deployed, engine.SystemClock{})
	return d
}

// run runs a pltv command line on the deployment and returns its standard output.
func (d *deployment) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{"--config", d.cfgPath, "--state", t.TempDir()}, args...)
	g := &globals{stdout: &out, stderr: &errOut, args: args, command: "pltv " + strings.Join(args, " "), cloud: d.clients}
	root := newRoot(g)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err != nil {
		t.Logf("pltv %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), err
}

// warehouse is the BigQuery driver on the fake, to look at what the commands did.
func (d *deployment) warehouse(t *testing.T) *bigquery.Warehouse {
	t.Helper()
	w, err := bigquery.New(context.Background(), bigquery.Options{Project: cloudProject}, d.clients.BigQuery...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// tracker is the deployment's tracking on the emulator.
func (d *deployment) tracker(t *testing.T) *tracking.Tracker {
	t.Helper()
	store, err := firestore.Open(context.Background(), cloudProject, "")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := tracking.New(store, app.TrackerOptions(d.cfg, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return tr
}

func (d *deployment) putTable(t *testing.T, table string, rows ...[]any) {
	t.Helper()
	schema := &bqapi.TableSchema{Fields: []*bqapi.TableFieldSchema{{Name: "clientId", Type: "STRING"}}}
	if err := d.bq.PutTable(cloudProject, "pltv", table, schema, rows); err != nil {
		t.Fatal(err)
	}
}

func TestCloudTablesStatusAndTracking(t *testing.T) {
	d := newDeployment(t, nil)
	ctx := context.Background()
	d.putTable(t, "all_daily_transactions_20110301", []any{"a"}, []any{"b"})
	d.putTable(t, "prepared_daily_transactions_20110301", []any{"a"})
	d.putTable(t, "all_daily_transactions_20110302")
	d.putTable(t, "metadata")
	tr := d.tracker(t)
	if err := tr.StartPrepare(ctx, "20110302"); err != nil {
		t.Fatal(err)
	}

	out, err := d.run(t, "tables", "ls", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var tables []tableJSON
	if err := json.Unmarshal([]byte(out), &tables); err != nil {
		t.Fatalf("tables ls --json: %v\n%s", err, out)
	}
	rows := map[string]int64{}
	for _, tb := range tables {
		rows[tb.Table] = tb.Rows
	}
	if len(tables) != 4 || rows["all_daily_transactions_20110301"] != 2 || rows["prepared_daily_transactions_20110301"] != 1 {
		t.Errorf("tables ls: %s", out)
	}

	out, err = d.run(t, "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"date": "20110301"`, `"stage": "prepare"`, `"state": "pending"`, `"date": "20110302"`} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %s:\n%s", want, out)
		}
	}

	out, err = d.run(t, "tracking", "ls", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, d.cfg.CollectionName("")) {
		t.Errorf("tracking ls does not list the deployment's collections:\n%s", out)
	}
	if _, err := d.run(t, "tracking", "clean", "--all"); err != nil {
		t.Fatal(err)
	}
	if pending, _, err := tr.PendingPrepares(ctx, "99991231"); err != nil || len(pending) != 0 {
		t.Errorf("after tracking clean --all: pending prepares %v, %v", pending, err)
	}

	if out, err = d.run(t, "tables", "drop", "--from", "20110301", "--to", "20110301"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "dropped "+cloudProject+".pltv.all_daily_transactions_20110301") {
		t.Errorf("tables drop: %s", out)
	}
	left := strings.Join(d.bq.TableNames(), " ")
	if strings.Contains(left, "_20110301") || !strings.Contains(left, "all_daily_transactions_20110302") || !strings.Contains(left, "metadata") {
		t.Errorf("tables left after dropping 20110301: %s", left)
	}
}

// The stand-in workflows: backfill asks a test server (the extract) for every date of its range, and the
// server starts each date's daily workflow, as the extract, prepare, filter and predictstart would.
const (
	backfillYAML = `
main:
  params: [input]
  steps:
    - extract:
        call: http.post
        args:
          url: %s
          body: ${input}
        result: r
    - done:
        return: ${r.body}
`
	dailyYAML = `
main:
  params: [input]
  steps:
    - check:
        switch:
          - condition: ${input.date == "20110303"}
            raise: "no model for 20110303"
    - done:
        return: ${input}
`
)

func TestCloudBackfillFollowsItsExecutions(t *testing.T) {
	var d *deployment
	extract := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ From, To string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		x, err := cloudworkflows.New(r.Context(), cloudProject, d.cfg.DefaultGCPRegion, d.clients.Workflows...)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer x.Close()
		started := 0
		for day := req.From; day <= req.To; day = nextDay(t, day) {
			if day == "20110302" {
				continue // an empty extract: no daily workflow
			}
			if _, err := x.Start(r.Context(), deployedWorkflow(d.cfg, workflowDaily), map[string]string{"date": day}); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			started++
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"started": %d}`, started)
	}))
	t.Cleanup(extract.Close)
	d = newDeployment(t, map[string]string{workflowBackfill: fmt.Sprintf(backfillYAML, extract.URL), workflowDaily: dailyYAML})

	out, err := d.run(t, "backfill", "--from", "20110301", "--to", "20110303", "--wait", "300ms", "--poll", "20ms", "--json")
	if err == nil || !strings.Contains(err.Error(), "1 of 3 dates") {
		t.Errorf("backfill with a failing date: %v, want the failure counted", err)
	}
	var res cloudBackfillResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("backfill --json: %v\n%s", err, out)
	}
	var result struct{ Started int }
	if res.Backfill.State != executions.StateSucceeded || json.Unmarshal([]byte(res.Backfill.Result), &result) != nil || result.Started != 2 {
		t.Errorf("backfill execution: %+v", res.Backfill)
	}
	if res.Daily["20110301"].State != executions.StateSucceeded || res.Daily["20110303"].State != executions.StateFailed {
		t.Errorf("daily executions: %+v", res.Daily)
	}
	if len(res.Missing) != 1 || res.Missing[0] != "20110302" {
		t.Errorf("missing dates %v, want 20110302", res.Missing)
	}

	out, err = d.run(t, "executions", "list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list []executions.Execution
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("executions list --json: %v\n%s", err, out)
	}
	if len(list) != 3 {
		t.Fatalf("executions list: %d executions, want the backfill and two daily ones:\n%s", len(list), out)
	}
	out, err = d.run(t, "executions", "describe", res.Daily["20110303"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "no model for 20110303") || !strings.Contains(out, "FAILED") {
		t.Errorf("executions describe of the failed date:\n%s", out)
	}
}

func nextDay(t *testing.T, d string) string {
	day, err := time.Parse("20060102", d)
	if err != nil {
		t.Fatal(err)
	}
	return day.AddDate(0, 0, 1).Format("20060102")
}

func TestCloudModelRegister(t *testing.T) {
	d := newDeployment(t, nil)
	ctx := context.Background()
	dir := t.TempDir()
	features := filepath.Join(dir, "features.csv")
	if err := os.WriteFile(features, []byte("UK,country\nFR,country\nbasket_value,numeric\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("UK,country\nFR,country,extra\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := d.run(t, "model", "register", "--model-id", "4821", "--model-date", "20110228", "--features", bad); err == nil ||
		!strings.Contains(err.Error(), "bad.csv") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad features file: %v, want an error naming the file and line 2", err)
	}
	if names := strings.Join(d.bq.TableNames(), " "); strings.Contains(names, "metadata") || strings.Contains(names, "training_data_features_20110228 ") {
		t.Errorf("a refused registration left tables: %s", names)
	}

	for i, wantRecorded := range []bool{true, false} {
		out, err := d.run(t, "model", "register", "--model-id", "4821", "--model-date", "20110228", "--features", features, "--json")
		if err != nil {
			t.Fatal(err)
		}
		var reg struct {
			Recorded bool   `json:"recorded"`
			Features string `json:"features_table"`
		}
		if err := json.Unmarshal([]byte(out), &reg); err != nil {
			t.Fatalf("model register --json: %v\n%s", err, out)
		}
		if reg.Recorded != wantRecorded {
			t.Errorf("run %d: recorded %v, want %v", i+1, reg.Recorded, wantRecorded)
		}
	}
	w := d.warehouse(t)
	ltv := d.cfg.LTVDataset()
	info, err := w.Table(ctx, ltv.Shard("training_data_features", "20110228"))
	if err != nil || info.Rows != 3 {
		t.Errorf("features table: %d rows, %v; want 3", info.Rows, err)
	}
	var metadata []warehouse.Row
	md := ltv.Table("metadata")
	if err := w.Read(ctx, warehouse.ReadRequest{Table: &md}, func(b warehouse.Batch) error {
		metadata = append(metadata, b.Rows...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(metadata) != 1 || metadata[0][1] != "20110228" || metadata[0][2] != "4821" || metadata[0][3] != "4821" {
		t.Errorf("metadata rows %v, want one row of model 4821 dated 20110228", metadata)
	}
}

// TestDeployedWorkflowNames keeps the names the commands look for the deployment's workflows under equal to
// those `pulumi up` gives them.
func TestDeployedWorkflowNames(t *testing.T) {
	for _, names := range [][2]string{{"demo", "pltv"}, {"Acme_EU", "ltv_2"}, {strings.Repeat("d", 40), strings.Repeat("p", 30)}} {
		cfg := config.Default()
		cfg.DeploymentName, cfg.SolutionPrefix = names[0], names[1]
		for _, kind := range []string{workflowDaily, workflowBackfill} {
			if got, want := deployedWorkflow(cfg, kind), infra.NewNames(names[0], names[1]).Of(kind); got != want {
				t.Errorf("%v %s: %q, pulumi names it %q", names, kind, got, want)
			}
		}
	}
}

// TestCloudStatusShowsStaleFilters checks that on a deployment, too, status compares what each filter
// recorded it read (in Firestore) with the prepared days now (one query of the wildcard table): a filter
// whose day changed since is stale and names the day, one whose days are unchanged is not.
func TestCloudStatusShowsStaleFilters(t *testing.T) {
	d := newDeployment(t, nil)
	ctx := context.Background()
	d.putTable(t, "prepared_daily_transactions_20110301", []any{"a"})
	for _, date := range []string{"20110302", "20110303"} {
		d.putTable(t, "prepared_new_customers_daily_transactions_"+date, []any{"a"})
	}
	var wildcard atomic.Int32
	d.bq.OnQuery(func(q bqfaketest.Query) bqfaketest.Answer {
		if !strings.Contains(q.SQL, "prepared_daily_transactions_*") || !strings.Contains(q.SQL, "_TABLE_SUFFIX") {
			return bqfaketest.Answer{Error: &bqapi.ErrorProto{Reason: "invalidQuery", Message: "unexpected query: " + q.SQL}}
		}
		wildcard.Add(1)
		return bqfaketest.Answer{
			Schema: &bqapi.TableSchema{Fields: []*bqapi.TableFieldSchema{{Name: "pltv_shard_date", Type: "STRING"}, {Name: "clientId", Type: "STRING"}}},
			Rows:   [][]any{{"20110301", "a"}},
		}
	})
	now, err := tablesum.Days(ctx, d.warehouse(t), d.cfg.LTVDataset(), pipeline.PreparedDailyTransactions, "20110301", "20110301")
	if err != nil {
		t.Fatal(err)
	}
	sum := now["20110301"]
	tr := d.tracker(t)
	for date, fingerprint := range map[string]string{
		"20110302": fmt.Sprintf("%d:%s", sum.Rows, sum.Checksum), // what is there now
		"20110303": "1:0123456789abcdef",                         // other content
	} {
		start, _ := pipeline.AddDays(date, -d.cfg.ModelNewClientDays)
		end, _ := pipeline.AddDays(date, -1)
		if err := tr.RecordFilterRead(ctx, tracking.FilterRead{Date: date, WindowStart: start, WindowEnd: end,
			Days: map[string]string{"20110301": fingerprint}, Job: "job_" + date}); err != nil {
			t.Fatal(err)
		}
	}
	wildcard.Store(0)
	out, err := d.run(t, "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var dates []struct{ Date, State, Reason string }
	if err := json.Unmarshal([]byte(out), &dates); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, x := range dates {
		got[x.Date] = x.State + ": " + x.Reason
	}
	if strings.HasPrefix(got["20110302"], "stale") {
		t.Errorf("status of 20110302, whose window is unchanged: %s", got["20110302"])
	}
	if s := got["20110303"]; !strings.HasPrefix(s, "stale") || !strings.Contains(s, "20110301") {
		t.Errorf("status of 20110303, whose day 20110301 changed: %q, want stale naming 20110301", s)
	}
	if n := wildcard.Load(); n != 1 {
		t.Errorf("status queried the prepared days %d times, want once", n)
	}
}
