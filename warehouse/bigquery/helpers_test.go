package bigquery_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	bqapi "google.golang.org/api/bigquery/v2"
	"google.golang.org/api/option"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/bigquery"
	"github.com/pltv/pltv/warehouse/bigquery/internal/fakebq"
)

const (
	project  = "proj"
	location = "EU"
)

// env is a driver connected to a fresh fake. Its Sleep returns at once and records the waits asked for.
type env struct {
	w    *bigquery.Warehouse
	fake *fakebq.Server

	mu     sync.Mutex
	sleeps []time.Duration
}

func setup(t testing.TB, modify ...func(*bigquery.Options)) *env {
	t.Helper()
	return setupClient(t, nil, modify...)
}

// setupClient is setup with more options for the client library.
func setupClient(t testing.TB, clientOpts []option.ClientOption, modify ...func(*bigquery.Options)) *env {
	t.Helper()
	e := &env{fake: fakebq.New(t)}
	opts := bigquery.Options{
		Project:  project,
		Location: location,
		// The client buffers one upload chunk per load; its default chunk (16 MiB) makes small test loads slow.
		UploadChunkSize: 256 << 10,
		Sleep: func(ctx context.Context, d time.Duration) error {
			e.mu.Lock()
			e.sleeps = append(e.sleeps, d)
			e.mu.Unlock()
			return ctx.Err()
		},
	}
	for _, m := range modify {
		m(&opts)
	}
	w, err := bigquery.New(context.Background(), opts, append(e.fake.ClientOptions(), clientOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	e.w = w
	return e
}

func (e *env) waits() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sleeps
}

// put stores a table in the fake; schema is "name:TYPE[:REQUIRED],...".
func (e *env) put(t *testing.T, table, schema string, rows ...[]any) {
	t.Helper()
	if err := e.fake.PutTable(project, "ds", table, apiSchema(schema), rows); err != nil {
		t.Fatal(err)
	}
}

// apiSchema builds a REST schema from "name:TYPE[:MODE],...".
func apiSchema(spec string) *bqapi.TableSchema {
	s := &bqapi.TableSchema{}
	for _, f := range strings.Split(spec, ",") {
		parts := strings.Split(f, ":")
		fs := &bqapi.TableFieldSchema{Name: parts[0], Type: parts[1]}
		if len(parts) > 2 {
			fs.Mode = parts[2]
		}
		s.Fields = append(s.Fields, fs)
	}
	return s
}

func ref(table string) warehouse.Ref { return warehouse.Ref{Dataset: "ds", Table: table} }

func refp(table string) *warehouse.Ref { r := ref(table); return &r }

func apiRef(table string) *bqapi.TableReference {
	return &bqapi.TableReference{ProjectId: project, DatasetId: "ds", TableId: table}
}

// lastJob decodes the last job resource the driver sent (jobs.insert, plain or upload).
func (e *env) lastJob(t *testing.T) *bqapi.Job {
	t.Helper()
	reqs := e.fake.Find("jobs.insert")
	if len(reqs) == 0 {
		t.Fatal("no jobs.insert request")
	}
	var j bqapi.Job
	if err := reqs[len(reqs)-1].Decode(&j); err != nil {
		t.Fatal(err)
	}
	return &j
}

// readAll reads a request to the end and returns its batches.
func (e *env) readAll(t *testing.T, req warehouse.ReadRequest) ([]warehouse.Batch, error) {
	t.Helper()
	var out []warehouse.Batch
	err := e.w.Read(context.Background(), req, func(b warehouse.Batch) error {
		out = append(out, b)
		return nil
	})
	return out, err
}

// answer scripts every query job with the same answer.
func (e *env) answer(a fakebq.Answer) {
	e.fake.OnQuery(func(fakebq.Query) fakebq.Answer { return a })
}

// cancelOnError is an HTTP transport that reads an error answer whole and then cancels the caller's
// context: the client library retries transient errors until the context ends, and this ends its retries
// right after the first error, without waiting through its backoff.
type cancelOnError struct{ cancel func() }

func (c cancelOnError) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	c.cancel()
	return resp, err
}

// setupCanceling is setup whose client cancels ctx once it meets an error answer.
func setupCanceling(t *testing.T) (*env, context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	e := setupClient(t, []option.ClientOption{option.WithHTTPClient(&http.Client{Transport: cancelOnError{cancel}})})
	return e, ctx
}

func date(y int, m time.Month, d int) warehouse.Date {
	return warehouse.Date{Year: y, Month: m, Day: d}
}
