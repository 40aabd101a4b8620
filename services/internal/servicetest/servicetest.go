// Package servicetest helps test pltv's services the way Eventarc calls them: real event bodies (the
// fixtures of events/testdata) in CloudEvents sent in binary mode over HTTP to a service served as
// functions-framework serves it.
package servicetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/internal/testdata"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/cloudlog"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/embedded"
	"github.com/pltv/pltv/warehouse"
)

// Scope is the deployment the fixtures were written for: demo, dataset pltv of project pltv-demo.
var Scope = services.Scope{Deployment: "demo", LTV: warehouse.Dataset{Project: "pltv-demo", Dataset: "pltv"},
	JobPrefix: warehouse.JobPrefix("demo", "pltv")}

// Fixture reads a file of events/testdata.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata.Root(), "events", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// JobID is the id of a job of the Scope's deployment: its prefix, the stage, the date and a suffix.
func JobID(stage, date, suffix string) string {
	return warehouse.StageJobPrefix(Scope.JobPrefix, stage) + date + "_" + suffix
}

// AuditEvent wraps a LogEntry body in the CloudEvent Eventarc delivers for it, its resourcename attribute
// the entry's protoPayload.resourceName.
func AuditEvent(t testing.TB, id string, body []byte) event.Event {
	t.Helper()
	var entry struct {
		ProtoPayload struct{ ResourceName string } `json:"protoPayload"`
	}
	_ = json.Unmarshal(body, &entry) // a body that does not decode goes as it is, for the handler to refuse
	e := event.New()
	e.SetID(id)
	e.SetSource("//cloudaudit.googleapis.com/projects/pltv-demo/logs/data_access")
	e.SetType(events.TypeAuditLogWritten)
	e.SetExtension(events.ExtServiceName, events.ServiceBigQuery)
	e.SetExtension(events.ExtMethodName, events.MethodInsertJob)
	if entry.ProtoPayload.ResourceName != "" {
		e.SetExtension(events.ExtResourceName, entry.ProtoPayload.ResourceName)
	}
	if err := e.SetData("application/json; charset=utf-8", body); err != nil {
		t.Fatal(err)
	}
	return e
}

// PubSubEvent wraps a Pub/Sub body in the CloudEvent Eventarc delivers for it.
func PubSubEvent(t testing.TB, id string, body []byte) event.Event {
	t.Helper()
	e := event.New()
	e.SetID(id)
	e.SetSource("//pubsub.googleapis.com/projects/pltv-demo/topics/pltv-demo-extract-done")
	e.SetType(events.TypeMessagePublished)
	if err := e.SetData("application/json", body); err != nil {
		t.Fatal(err)
	}
	return e
}

// Server serves a CloudEvent handler as functions-framework does.
func Server(t testing.TB, h services.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(app.CloudEventHandler(h))
	t.Cleanup(srv.Close)
	return srv
}

// Send posts e in binary mode to url and returns the HTTP status.
func Send(t testing.TB, url string, e event.Event) int {
	t.Helper()
	req, err := cloudevents.NewHTTPRequestFromEvent(context.Background(), url, e)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// Post posts a JSON body to url and returns the status and the answer.
func Post(t testing.TB, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Clock is a clock tests move by hand.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now tells the time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock forward.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Tracker returns a tracker on an in-memory store.
func Tracker(t testing.TB, now func() time.Time) *tracking.Tracker {
	t.Helper()
	tr, err := tracking.New(embedded.NewMemory(), tracking.Options{Prefix: "demo_pltv", Clock: now, Logger: Log(t)})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// Log returns a logger writing Cloud Logging's JSON to the test's log, at debug level.
func Log(t testing.TB) *slog.Logger {
	return cloudlog.New(testWriter{t}, cloudlog.Options{Level: slog.LevelDebug})
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// Progress records the steps the services report.
type Progress struct {
	mu    sync.Mutex
	steps []services.Step
}

// Report records a step.
func (p *Progress) Report(_ context.Context, s services.Step) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.steps = append(p.steps, s)
}

// Steps returns the steps so far.
func (p *Progress) Steps() []services.Step {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]services.Step(nil), p.steps...)
}

// Executions is an executions port that records the workflows started; every execution stays ACTIVE until
// EndAll.
type Executions struct {
	mu      sync.Mutex
	started []executions.Execution
	Fail    error // returned by the next Start
}

// Start records the start.
func (x *Executions) Start(_ context.Context, workflow string, argument any) (executions.Execution, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.Fail; err != nil {
		x.Fail = nil
		return executions.Execution{}, err
	}
	arg, err := json.Marshal(argument)
	if err != nil {
		return executions.Execution{}, err
	}
	e := executions.Execution{ID: fmt.Sprintf("x%d", len(x.started)+1), Workflow: workflow, Argument: string(arg),
		State: executions.StateActive}
	x.started = append(x.started, e)
	return e, nil
}

// Get returns a started execution.
func (x *Executions) Get(_ context.Context, id string) (executions.Execution, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, e := range x.started {
		if e.ID == id {
			return e, nil
		}
	}
	return executions.Execution{}, executions.ErrNotFound
}

// List returns the started executions of a workflow, newest first.
func (x *Executions) List(_ context.Context, workflow string) ([]executions.Execution, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []executions.Execution
	for i := len(x.started) - 1; i >= 0; i-- {
		if x.started[i].Workflow == workflow {
			out = append(out, x.started[i])
		}
	}
	return out, nil
}

// EndAll ends every execution started so far, SUCCEEDED.
func (x *Executions) EndAll() {
	x.mu.Lock()
	defer x.mu.Unlock()
	for i := range x.started {
		x.started[i].State = executions.StateSucceeded
	}
}

// Arguments returns the arguments of the started executions, in start order.
func (x *Executions) Arguments() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []string
	for _, e := range x.started {
		out = append(out, e.Argument)
	}
	return out
}

// CountingLedger is a services.Ledger that counts the keys recorded through it.
type CountingLedger struct {
	services.Ledger
	mu       sync.Mutex
	recorded int
}

// ClaimEvent claims a key and counts it.
func (l *CountingLedger) ClaimEvent(ctx context.Context, source, id string) (tracking.Claim, error) {
	l.mu.Lock()
	l.recorded++
	l.mu.Unlock()
	return l.Ledger.ClaimEvent(ctx, source, id)
}

// Recorded is how many keys were recorded.
func (l *CountingLedger) Recorded() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.recorded
}
