package infra_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/pulumi/infra"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/app/cloud"
	"github.com/pltv/pltv/tracking"
	wf "github.com/pltv/pltv/workflows"
)

const (
	typeFunction  = "gcp:cloudfunctionsv2/function:Function"
	typeAccount   = "gcp:serviceaccount/account:Account"
	typeWorkflow  = "gcp:workflows/workflow:Workflow"
	typeScheduler = "gcp:cloudscheduler/job:Job"
	typeTransfer  = "gcp:bigquery/dataTransferConfig:DataTransferConfig"
	typeAPI       = "gcp:projects/service:Service"
)

func TestResourcesOfADeployment(t *testing.T) {
	m, out, _ := deploy(t, testInputs())
	counts := map[string]int{}
	for _, r := range m.res {
		counts[r.Type]++
	}
	want := map[string]int{
		typeAPI:     14 + 2 + 1, // the services' project (with BigQuery), the model's
		typeAccount: 5 + 8, typeFunction: 8, typeWorkflow: 2, typeScheduler: 3, typeTransfer: 1,
		"gcp:pubsub/topic:Topic": 1, "gcp:bigquery/dataset:Dataset": 1, "gcp:bigquery/table:Table": 2,
		"gcp:bigquery/job:Job": 2, "gcp:storage/bucket:Bucket": 1, "gcp:storage/bucketObject:BucketObject": 3,
		"gcp:firestore/database:Database": 1, "gcp:firestore/field:Field": 1, "gcp:vertex/aiEndpoint:AiEndpoint": 1,
		"gcp:logging/metric:Metric": 2, "gcp:monitoring/alertPolicy:AlertPolicy": 1,
		"gcp:monitoring/notificationChannel:NotificationChannel": 1,
	}
	for typ, n := range want {
		if counts[typ] != n {
			t.Errorf("%s: %d planned, want %d", typ, counts[typ], n)
		}
	}
	t.Logf("%d resources planned", len(m.res))
	if out.Dataset != "acme-ltv.acme_ltv" {
		t.Errorf("dataset output %q", out.Dataset)
	}
	if want := `gcloud workflows run acme-pltv-backfill --project=acme-ltv --location=europe-west1 --data='{"from":"YYYYMMDD","to":"YYYYMMDD"}'`; out.BackfillCommand != want {
		t.Errorf("backfill command %q, want %q", out.BackfillCommand, want)
	}
	if diff := cmp.Diff(map[string]string{"daily": "acme-pltv-daily", "backfill": "acme-pltv-backfill"}, out.Workflows); diff != "" {
		t.Errorf("workflows (-want +got):\n%s", diff)
	}
}

func TestFunctions(t *testing.T) {
	m, _, _ := deploy(t, testInputs())
	fns := m.ofType(typeFunction)
	for _, f := range fns {
		name := strings.TrimPrefix(f.Name, "fn-")
		event := slices.Contains(app.CloudEventFunctions, name)
		t.Run(name, func(t *testing.T) {
			if got := f.str("name"); got != "acme-pltv-"+name {
				t.Errorf("name %q", got)
			}
			if got := f.str("buildConfig", "runtime"); got != "go126" {
				t.Errorf("runtime %q", got)
			}
			if got := f.str("buildConfig", "entryPoint"); got != name {
				t.Errorf("entry point %q", got)
			}
			if got := f.str("serviceConfig", "ingressSettings"); got != "ALLOW_INTERNAL_ONLY" {
				t.Errorf("ingress %q", got)
			}
			if got := f.str("serviceConfig", "serviceAccountEmail"); got != "acme-pltv-fn-"+name+"@acme-ltv.iam.gserviceaccount.com" {
				t.Errorf("runs as %q", got)
			}
			timeout, _ := f.get("serviceConfig", "timeoutSeconds")
			limit := 3600.0
			if event {
				limit = 540
			}
			if !timeout.IsNumber() || timeout.NumberValue() > limit || timeout.NumberValue() <= 0 {
				t.Errorf("timeout %v, want at most %v s", timeout, limit)
			}
			if name == app.FnPredict && timeout.NumberValue() != 3600 {
				t.Errorf("predict timeout %v, want 3600", timeout)
			}
			if f.str("serviceConfig", "availableMemory") == "" {
				t.Error("no memory")
			}
			_, hasTrigger := f.get("eventTrigger")
			if hasTrigger != event {
				t.Errorf("event trigger %v, want %v", hasTrigger, event)
			}
			if event {
				if got := f.str("eventTrigger", "retryPolicy"); got != "RETRY_POLICY_RETRY" {
					t.Errorf("retry policy %q", got)
				}
				if got := f.str("eventTrigger", "serviceAccountEmail"); got != "acme-pltv-trigger@acme-ltv.iam.gserviceaccount.com" {
					t.Errorf("trigger runs as %q", got)
				}
			}
		})
	}
	if len(fns) != len(app.CloudEventFunctions)+len(app.HTTPFunctions) {
		t.Errorf("%d functions", len(fns))
	}
}

// filters are an event trigger's filters as attribute → operator:value.
func filters(f planned) map[string]string {
	v, _ := f.get("eventTrigger", "eventFilters")
	out := map[string]string{}
	if !v.IsArray() {
		return out
	}
	for _, e := range v.ArrayValue() {
		o := planned{Inputs: e.ObjectValue()}
		out[o.str("attribute")] = o.str("operator") + ":" + o.str("value")
	}
	return out
}

func TestTriggersAreExact(t *testing.T) {
	m, _, _ := deploy(t, testInputs())
	prep := m.named(t, typeFunction, "fn-prepare")
	if got := prep.str("eventTrigger", "eventType"); got != "google.cloud.pubsub.topic.v1.messagePublished" {
		t.Errorf("prepare event type %q", got)
	}
	if got := prep.str("eventTrigger", "pubsubTopic"); got != "projects/acme-ltv/topics/acme-pltv-transfer-runs" {
		t.Errorf("prepare topic %q", got)
	}
	if got := prep.str("eventTrigger", "triggerRegion"); got != "europe-west1" {
		t.Errorf("prepare trigger region %q", got)
	}
	if got := filters(prep); len(got) != 0 {
		t.Errorf("prepare filters %v", got)
	}
	for fn, stage := range map[string]string{"filter": "prepare", "predictstart": "filter"} {
		f := m.named(t, typeFunction, "fn-"+fn)
		if got := f.str("eventTrigger", "eventType"); got != "google.cloud.audit.log.v1.written" {
			t.Errorf("%s event type %q", fn, got)
		}
		if got := f.str("eventTrigger", "triggerRegion"); got != "global" {
			t.Errorf("%s trigger region %q, want global (audit-log triggers are not served in EU)", fn, got)
		}
		want := map[string]string{
			"serviceName":  ":bigquery.googleapis.com",
			"methodName":   ":google.cloud.bigquery.v2.JobService.InsertJob",
			"resourceName": "match-path-pattern:projects/acme-ltv/jobs/pltv_acme_pltv_" + stage + "_*",
		}
		if diff := cmp.Diff(want, filters(f)); diff != "" {
			t.Errorf("%s filters (-want +got):\n%s", fn, diff)
		}
	}
}

func TestNoBroadGrant(t *testing.T) {
	m, _, _ := deploy(t, testInputs())
	grants := 0
	for _, r := range m.res {
		role, member := r.str("role"), r.str("member")
		if role == "" && member == "" {
			continue
		}
		grants++
		for _, bad := range []string{"roles/owner", "roles/editor", "roles/bigquery.admin", "roles/iam.serviceAccountAdmin"} {
			if role == bad {
				t.Errorf("%s %s grants %s", r.Type, r.Name, role)
			}
		}
		if member == "allUsers" || member == "allAuthenticatedUsers" || !strings.HasPrefix(member, "serviceAccount:") {
			t.Errorf("%s %s grants %s to %q", r.Type, r.Name, role, member)
		}
		if strings.HasSuffix(member, "-compute@developer.gserviceaccount.com") {
			t.Errorf("%s %s grants to the default compute account", r.Type, r.Name)
		}
	}
	if grants < 30 {
		t.Errorf("%d grants, want the deployment's", grants)
	}
	// Run invoker on each function goes to exactly its callers.
	callers := map[string][]string{}
	for _, r := range m.ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember") {
		if r.str("role") != "roles/run.invoker" {
			t.Errorf("%s: role %s", r.Name, r.str("role"))
		}
		callers[r.str("name")] = append(callers[r.str("name")], strings.TrimSuffix(strings.TrimPrefix(r.str("member"), "serviceAccount:acme-pltv-"), "@acme-ltv.iam.gserviceaccount.com"))
	}
	want := map[string][]string{
		"acme-pltv-prepare": {"trigger"}, "acme-pltv-filter": {"trigger"}, "acme-pltv-predictstart": {"trigger"},
		"acme-pltv-predict": {"workflows"}, "acme-pltv-model": {"workflows"}, "acme-pltv-extract": {"scheduler", "workflows"},
		"acme-pltv-poller": {"scheduler"}, "acme-pltv-stopper": {"scheduler"},
	}
	for k := range callers {
		slices.Sort(callers[k])
	}
	if diff := cmp.Diff(want, callers); diff != "" {
		t.Errorf("invokers (-want +got):\n%s", diff)
	}
}

func TestSchedulesFromTheConfig(t *testing.T) {
	m, _, _ := deploy(t, testInputs())
	want := map[string]string{"poller": "*/3 * * * *", "stopper": "5 */1 * * *", "extract": "17 6 * * *"}
	got := map[string]string{}
	for _, j := range m.ofType(typeScheduler) {
		fn := strings.TrimPrefix(j.Name, "schedule-")
		got[fn] = j.str("schedule")
		if tz := j.str("timeZone"); tz != "Europe/Madrid" {
			t.Errorf("%s: time zone %q", fn, tz)
		}
		if u := j.str("httpTarget", "uri"); u != runURL("acme-pltv-"+fn) {
			t.Errorf("%s: calls %q", fn, u)
		}
		if sa := j.str("httpTarget", "oidcToken", "serviceAccountEmail"); sa != "acme-pltv-scheduler@acme-ltv.iam.gserviceaccount.com" {
			t.Errorf("%s: OIDC as %q", fn, sa)
		}
		if aud := j.str("httpTarget", "oidcToken", "audience"); aud != j.str("httpTarget", "uri") {
			t.Errorf("%s: audience %q", fn, aud)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schedules (-want +got):\n%s", diff)
	}
	// One driver of the extract: the scheduler job, not also the transfer's own schedule.
	tr := m.ofType(typeTransfer)[0]
	if off, _ := tr.get("scheduleOptions", "disableAutoScheduling"); !off.IsBool() || !off.BoolValue() {
		t.Error("the transfer schedules itself as well as the scheduler job")
	}
	if s := tr.str("schedule"); s != "" {
		t.Errorf("transfer schedule %q", s)
	}
}

func TestScheduledExtract(t *testing.T) {
	m, _, _ := deploy(t, testInputs())
	tr := m.ofType(typeTransfer)[0]
	params := tr.strMap("params")
	if params["destination_table_name_template"] != "all_daily_transactions_{run_date}" || params["write_disposition"] != "WRITE_TRUNCATE" {
		t.Errorf("params %v", params)
	}
	q := params["query"]
	for _, want := range []string{"`acme-analytics.shop.transactions_*`", "@run_date", "INTERVAL 1 DAY"} {
		if !strings.Contains(q, want) {
			t.Errorf("query does not contain %s:\n%s", want, q)
		}
	}
	for k, want := range map[string]string{"dataSourceId": "scheduled_query", "location": "EU", "project": "acme-ltv",
		"notificationPubsubTopic": "projects/acme-ltv/topics/acme-pltv-transfer-runs", "destinationDatasetId": "acme_ltv",
		"serviceAccountName": "acme-pltv-extract-query@acme-ltv.iam.gserviceaccount.com"} {
		if got := tr.str(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	pub := m.named(t, "gcp:pubsub/topicIAMMember:TopicIAMMember", "transfer-agent-publishes")
	if pub.str("member") != "serviceAccount:service-123456789@gcp-sa-bigquerydatatransfer.iam.gserviceaccount.com" || pub.str("role") != "roles/pubsub.publisher" {
		t.Errorf("the transfer service agent cannot publish: %v", pub.Inputs)
	}
}

func TestWorkflowsCarryTheFiles(t *testing.T) {
	m, _, _ := deploy(t, testInputs())
	for _, name := range wf.Names() {
		w := m.named(t, typeWorkflow, "workflow-"+name)
		src, err := wf.Source(name)
		if err != nil {
			t.Fatal(err)
		}
		if w.str("sourceContents") != string(src) {
			t.Errorf("%s: the deployed source differs from workflows/%s.yaml", name, name)
		}
		if w.str("serviceAccount") != "acme-pltv-workflows@acme-ltv.iam.gserviceaccount.com" || w.str("region") != "europe-west1" {
			t.Errorf("%s: %v", name, w.Inputs)
		}
		env := w.strMap("userEnvVars")
		for _, k := range infra.EnvRead(src) {
			if env[k] == "" {
				t.Errorf("%s reads %s, not set", name, k)
			}
		}
	}
	daily := m.named(t, typeWorkflow, "workflow-daily").strMap("userEnvVars")
	want := map[string]string{
		"PREDICT_URL": runURL("acme-pltv-predict"),
		"MODEL_URL":   runURL("acme-pltv-model"),
		"MODEL_MODE":  "online", "PREDICT_BATCH_CONCURRENCY": "4", "STOP_MODEL_WAITING_MINUTES": "30",
		"MODEL_DEPLOY_TIMEOUT_MINUTES": "30",
	}
	if diff := cmp.Diff(want, daily); diff != "" {
		t.Errorf("daily env (-want +got):\n%s", diff)
	}
}

func TestFirestoreAndLedgerTTL(t *testing.T) {
	m, _, _ := deploy(t, testInputs())
	db := m.ofType("gcp:firestore/database:Database")[0]
	if db.str("type") != "FIRESTORE_NATIVE" || db.str("name") != "(default)" {
		t.Errorf("database %v", db.Inputs)
	}
	f := m.ofType("gcp:firestore/field:Field")[0]
	if f.str("collection") != "acme_pltv_processed_events" || f.str("field") != tracking.EventExpiryField {
		t.Errorf("TTL on %s.%s", f.str("collection"), f.str("field"))
	}
	if _, ok := f.get("ttlConfig"); !ok {
		t.Error("no TTL config")
	}
	in := testInputs()
	in.Firestore = infra.FirestoreExisting
	m, _, _ = deploy(t, in)
	if n := len(m.ofType("gcp:firestore/database:Database")); n != 0 {
		t.Errorf("%d databases planned with pltv:firestore existing", n)
	}
	if n := len(m.ofType("gcp:firestore/field:Field")); n != 1 {
		t.Errorf("%d TTL fields", n)
	}
}

func TestEndpointAndModelData(t *testing.T) {
	m, _, _ := deploy(t, testInputs())
	e := m.ofType("gcp:vertex/aiEndpoint:AiEndpoint")[0]
	if e.str("name") != "123456789" || e.str("project") != "acme-ml" || e.str("location") != "europe-west4" {
		t.Errorf("endpoint %v", e.Inputs)
	}
	jobs := map[string]planned{}
	for _, j := range m.ofType("gcp:bigquery/job:Job") {
		jobs[j.str("load", "destinationTable", "tableId")] = j
		if !strings.HasPrefix(j.str("load", "sourceUris"), "") || j.str("location") != "EU" {
			t.Errorf("load %v", j.Inputs)
		}
	}
	if j, ok := jobs["training_data_features_20240101"]; !ok || j.str("load", "writeDisposition") != "WRITE_TRUNCATE" {
		t.Errorf("features not loaded: %v", jobs)
	}
	if j, ok := jobs["metadata"]; !ok || j.str("load", "writeDisposition") != "WRITE_APPEND" {
		t.Errorf("no metadata row appended: %v", jobs)
	}
	var row string
	for _, o := range m.ofType("gcp:storage/bucketObject:BucketObject") {
		if o.Name == "data-metadata" {
			v, _ := o.get("source")
			row = v.AssetValue().Text
		}
	}
	if row != "20240101,20240101,ltv,4567890123\n" {
		t.Errorf("metadata row %q", row)
	}
	in := testInputs()
	in.ModelDate, in.ModelName, in.ModelID = "", "", ""
	m, _, _ = deploy(t, in)
	if n := len(m.ofType("gcp:bigquery/job:Job")); n != 0 {
		t.Errorf("%d load jobs without a model date", n)
	}
}

// physicalNames are the names a deployment gives its resources in Google Cloud.
func physicalNames(m *mocks) map[string]string {
	out := map[string]string{}
	for _, r := range m.res {
		for _, k := range []string{"name", "accountId", "roleId", "jobId", "datasetId", "displayName", "collection"} {
			v := r.str(k)
			switch {
			case v == "":
			case r.Type == typeAPI, r.Type == "gcp:firestore/database:Database",
				r.Type == "gcp:storage/bucketObject:BucketObject" && k == "name":
				// shared by every deployment of a project and never destroyed with one (the APIs, the default
				// database), or named within the deployment's own bucket
			case strings.HasPrefix(r.Type, "gcp:bigquery/datasetIamMember"), strings.Contains(r.Type, "IamMember"),
				strings.Contains(r.Type, "IAMMember"), r.Type == "gcp:bigquery/table:Table" && k == "datasetId",
				r.Type == "gcp:cloudfunctionsv2/function:Function" && k == "displayName":
				// refers to a resource of its own deployment
			default:
				out[r.Type+" "+k+"="+v] = r.Name
			}
		}
	}
	return out
}

func TestTwoDeploymentsShareAProject(t *testing.T) {
	a, _, _ := deploy(t, testInputs())
	in := testInputs()
	in.Settings = map[string]string{"DEPLOYMENT_NAME": "globex", "BQ_LTV_DATASET": "globex_ltv", "MODEL_ENDPOINT_ID": "987654321"}
	b, _, _ := deploy(t, in)
	na, nb := physicalNames(a), physicalNames(b)
	if len(na) < 40 {
		t.Fatalf("%d names", len(na))
	}
	for k := range na {
		if _, ok := nb[k]; ok {
			t.Errorf("both deployments name %s", k)
		}
	}
}

func TestFunctionEnvironmentPassesTheServicesValidation(t *testing.T) {
	m, _, d := deploy(t, testInputs())
	embedded := archivedConfig(t, m)
	if string(embedded) != string(d.Text) {
		t.Fatal("the source archive's pltv.yaml is not the deployment's")
	}
	for _, f := range m.ofType(typeFunction) {
		name := strings.TrimPrefix(f.Name, "fn-")
		env := f.strMap("serviceConfig", "environmentVariables")
		t.Run(name, func(t *testing.T) {
			if err := functionConfig(embedded, d.Root, name, env); err != nil {
				t.Errorf("%s's environment %v: %v", name, env, err)
			}
		})
	}
	// The check fails on what a function would fail on.
	f := m.named(t, typeFunction, "fn-extract")
	env := f.strMap("serviceConfig", "environmentVariables")
	delete(env, cloud.EnvTransferConfig)
	if err := functionConfig(embedded, d.Root, "extract", env); err == nil {
		t.Error("the extract function's check passed without its transfer config")
	}
}

// archivedConfig is the pltv.yaml at the root of the functions' source archive, which functions.go embeds.
func archivedConfig(t *testing.T, m *mocks) []byte {
	t.Helper()
	obj := m.named(t, "gcp:storage/bucketObject:BucketObject", "functions-source")
	v, ok := obj.get("source")
	if !ok || !v.IsArchive() {
		t.Fatalf("the functions' source is no archive: %v", v)
	}
	a, ok := v.ArchiveValue().Assets["pltv.yaml"].(*resource.Asset)
	if !ok {
		t.Fatal("the source archive has no pltv.yaml at its root")
	}
	for _, want := range []string{"go.mod", "functions.go", "workflows/daily.yaml", "hooks/sql/extract.sql"} {
		if _, ok := v.ArchiveValue().Assets[want]; !ok {
			t.Errorf("the source archive has no %s", want)
		}
	}
	for path := range v.ArchiveValue().Assets {
		if strings.HasSuffix(path, "_test.go") || strings.HasPrefix(path, "pulumi/") || strings.HasPrefix(path, ".git") {
			t.Errorf("the source archive carries %s", path)
		}
	}
	return []byte(a.Text)
}

func TestStackSettingsOverrideTheFile(t *testing.T) {
	in := testInputs()
	in.Settings = map[string]string{"MAX_TASKS_PER_POLL": "20", "LONG_RUNNING_TASKS_POLLER_CONFIG": "*/5 * * * *"}
	m, _, _ := deploy(t, in)
	poller := m.named(t, typeScheduler, "schedule-poller")
	if got := poller.str("schedule"); got != "*/5 * * * *" {
		t.Errorf("poller schedule %q", got)
	}
	for _, f := range m.ofType(typeFunction) {
		if got := f.strMap("serviceConfig", "environmentVariables")["MAX_TASKS_PER_POLL"]; got != "20" {
			t.Errorf("%s: MAX_TASKS_PER_POLL %q", f.Name, got)
		}
	}
}

func TestIncompleteConfigPlansNothing(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pltv.yaml")
	if err := os.WriteFile(file, []byte("RUNTIME: cloud\nMODEL_BACKEND: vertex\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stack, _ := json.Marshal(map[string]string{"pltv:config": file})
	t.Setenv("PULUMI_CONFIG", string(stack))
	m := &mocks{}
	err := pulumi.RunErr(infra.Program, pulumi.WithMocks("pltv", "test", m))
	if err == nil {
		t.Fatal("an incomplete configuration was deployed")
	}
	for _, key := range []string{"DEFAULT_GCP_PROJECT", "BQ_LTV_GCP_PROJECT", "MODEL_GCP_PROJECT", "MODEL_ENDPOINT_ID", "pltv:alertEmail"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("the error does not name %s:\n%v", key, err)
		}
	}
	if len(m.res) != 0 {
		t.Errorf("%d resources planned before the error", len(m.res))
	}
}

func TestPlanRefuses(t *testing.T) {
	tests := []struct {
		name string
		in   func(*infra.Inputs)
		want string
	}{
		{"the local runtime", func(in *infra.Inputs) { in.Settings = map[string]string{"RUNTIME": "local"} }, "RUNTIME"},
		{"no alert channel", func(in *infra.Inputs) { in.AlertEmail = "" }, "pltv:alertEmail"},
		{"a bad model date", func(in *infra.Inputs) { in.ModelDate = "2024-01-01" }, "pltv:modelDate"},
		{"an endpoint id Vertex AI refuses", func(in *infra.Inputs) {
			in.Settings = map[string]string{"MODEL_ENDPOINT_ID": "0123"}
		}, "MODEL_ENDPOINT_ID"},
		{"an endpoint id of ten digits", func(in *infra.Inputs) {
			in.Settings = map[string]string{"MODEL_ENDPOINT_ID": "1234567890"}
		}, "MODEL_ENDPOINT_ID"},
		{"a missing file", func(in *infra.Inputs) { in.Config = "nonexistent.yaml" }, "nonexistent.yaml"},
		{"a model name without its id", func(in *infra.Inputs) { in.ModelID = "" }, "pltv:modelName"},
		{"a bad firestore choice", func(in *infra.Inputs) { in.Firestore = "maybe" }, "pltv:firestore"},
		{"jobs in another project than the triggers", func(in *infra.Inputs) {
			in.Settings = map[string]string{"BQ_LTV_GCP_PROJECT": "acme-other"}
		}, "BQ_LTV_GCP_PROJECT"},
		{"a name Cloud Functions refuses", func(in *infra.Inputs) {
			in.Settings = map[string]string{"DEPLOYMENT_NAME": "1acme"}
		}, "DEPLOYMENT_NAME"},
		{"a hooks directory outside the module", func(in *infra.Inputs) {
			in.Settings = map[string]string{"HOOKS_DIR": os.TempDir()}
		}, "HOOKS_DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testInputs()
			tt.in(&in)
			_, err := infra.Plan(in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one naming %s", err, tt.want)
			}
		})
	}
}

func TestReadTheStackConfig(t *testing.T) {
	stack, _ := json.Marshal(map[string]string{
		"pltv:config":     "pulumi/infra/testdata/pltv.yaml",
		"pltv:alertEmail": "ops@acme.example",
		"pltv:modelDate":  "20240101",
		"pltv:settings":   `{"MAX_TASKS_PER_POLL": 20, "BQ_DATA_SOURCE_IS_SHARDED": false, "CUSTOM_VARIABLES": {"SHOP": "eu"}}`,
	})
	t.Setenv("PULUMI_CONFIG", string(stack))
	var got infra.Inputs
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var err error
		got, err = infra.Read(ctx)
		return err
	}, pulumi.WithMocks("pltv", "test", &mocks{}))
	if err != nil {
		t.Fatal(err)
	}
	want := infra.Inputs{Config: "pulumi/infra/testdata/pltv.yaml", AlertEmail: "ops@acme.example", ModelDate: "20240101",
		Settings: map[string]string{"MAX_TASKS_PER_POLL": "20", "BQ_DATA_SOURCE_IS_SHARDED": "false", "CUSTOM_VARIABLES": `{"SHOP":"eu"}`}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	d, err := infra.Plan(got)
	if err != nil {
		t.Fatal(err)
	}
	if d.Cfg.MaxTasksPerPoll != 20 || d.Cfg.BQDataSourceIsSharded || d.Cfg.CustomVariables["SHOP"] != "eu" {
		t.Errorf("overrides not applied: %d %v %v", d.Cfg.MaxTasksPerPoll, d.Cfg.BQDataSourceIsSharded, d.Cfg.CustomVariables)
	}
}

func TestOneSharedServiceAccount(t *testing.T) {
	for _, tt := range []struct{ sa, email string }{
		{"acme-functions", "acme-functions@acme-ltv.iam.gserviceaccount.com"},
		{"runner@acme-ltv.iam.gserviceaccount.com", "runner@acme-ltv.iam.gserviceaccount.com"},
	} {
		t.Run(tt.sa, func(t *testing.T) {
			in := testInputs()
			in.Settings = map[string]string{"SERVICE_ACCOUNT": tt.sa}
			m, _, _ := deploy(t, in)
			for _, f := range m.ofType(typeFunction) {
				if got := f.str("serviceConfig", "serviceAccountEmail"); got != tt.email {
					t.Errorf("%s runs as %q", f.Name, got)
				}
			}
			accounts := len(m.ofType(typeAccount))
			if want := 5 + map[bool]int{true: 0, false: 1}[strings.Contains(tt.sa, "@")]; accounts != want {
				t.Errorf("%d accounts, want %d", accounts, want)
			}
			roles := map[string]bool{}
			for _, r := range m.ofType("gcp:projects/iAMMember:IAMMember") {
				if r.str("member") == "serviceAccount:"+tt.email {
					roles[r.str("role")] = true
				}
			}
			for _, want := range []string{"roles/datastore.user", "roles/bigquery.jobUser", "roles/workflows.invoker", "roles/aiplatform.user"} {
				if !roles[want] {
					t.Errorf("the shared account lacks %s (has %v)", want, roles)
				}
			}
		})
	}
}

func TestOutputs(t *testing.T) {
	_, out, _ := deploy(t, testInputs())
	got := map[string]string{}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for name, u := range out.ServiceURLs {
		wg.Add(1)
		u.ToStringOutput().ApplyT(func(s string) string {
			mu.Lock()
			got[name] = s
			mu.Unlock()
			wg.Done()
			return s
		})
	}
	wg.Wait()
	for _, fn := range slices.Concat(app.CloudEventFunctions, app.HTTPFunctions) {
		if want := runURL("acme-pltv-" + fn); got[fn] != want {
			t.Errorf("%s URL %q, want %q", fn, got[fn], want)
		}
	}
}
