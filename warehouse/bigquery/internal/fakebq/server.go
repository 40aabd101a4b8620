// Package fakebq is an in-process stand-in for the BigQuery REST API (v2) that answers exactly the calls
// the cloud.google.com/go/bigquery client makes for pltv's warehouse driver: jobs.insert (with the
// multipart and resumable upload forms for loads), jobs.get, jobs.query, jobs.getQueryResults,
// tables.get/insert/delete/list and tabledata.list/insertAll.
//
// It keeps tables in memory and carries out load jobs (CSV), copy jobs, streaming inserts and the write and
// create dispositions the way BigQuery does. It executes no SQL: a query job's outcome (rows, an error, how
// long it stays RUNNING) comes from the test's script, and the fake writes scripted rows into the job's
// destination table under the job's write disposition. It records every request so that tests can assert
// what the driver sent, and can be told to fail chosen calls.
package fakebq

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	bqapi "google.golang.org/api/bigquery/v2"
	"google.golang.org/api/option"
)

// Server is the fake BigQuery service. Its zero value is not usable; call New.
type Server struct {
	srv *httptest.Server
	now func() time.Time

	mu       sync.Mutex
	location string // where jobs run when their request names no location
	polls    int    // status reads that answer RUNNING for every job
	pageRows int    // the most rows one page of results carries
	listSize int    // the most tables one page of tables.list carries
	answer   func(Query) Answer
	faults   []*Fault
	requests []Request
	tables   map[string]*table
	jobs     map[string]*job
	uploads  map[string]*upload
	seq      int
}

// New starts a fake on a loopback port and stops it when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		now:      func() time.Time { return time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC) },
		location: "US",
		pageRows: 100000,
		listSize: 50,
		tables:   map[string]*table{},
		jobs:     map[string]*job{},
		uploads:  map[string]*upload{},
	}
	s.srv = httptest.NewServer(s.routes())
	t.Cleanup(s.srv.Close)
	return s
}

// ClientOptions point a cloud.google.com/go/bigquery client at the fake.
func (s *Server) ClientOptions() []option.ClientOption {
	return []option.ClientOption{
		option.WithEndpoint(s.srv.URL + "/bigquery/v2/"),
		option.WithoutAuthentication(),
	}
}

// SetPolls makes every job answer RUNNING to that many status reads (jobs.get, jobs.getQueryResults,
// jobs.query) before it is DONE.
func (s *Server) SetPolls(n int) { s.locked(func() { s.polls = n }) }

// SetPageRows caps the rows of one page of tabledata.list, jobs.query and jobs.getQueryResults answers.
func (s *Server) SetPageRows(n int) { s.locked(func() { s.pageRows = n }) }

// SetListPageSize caps the tables of one page of a tables.list answer.
func (s *Server) SetListPageSize(n int) { s.locked(func() { s.listSize = n }) }

// SetLocation sets where jobs run when their request names no location (US by default).
func (s *Server) SetLocation(loc string) { s.locked(func() { s.location = loc }) }

func (s *Server) locked(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// Request is one recorded request.
type Request struct {
	Call   string     // the REST method: "jobs.insert", "tabledata.list", ...
	Method string     // the HTTP method
	Path   string     // the URL path
	Query  url.Values // the URL query
	Body   []byte     // the JSON body; for an upload, the job metadata part
	Media  []byte     // the uploaded data of a multipart upload or of one resumable chunk
}

// Decode unmarshals the request's JSON body into v (one of the bigquery/v2 REST types).
func (r Request) Decode(v any) error { return json.Unmarshal(r.Body, v) }

// Requests returns every request so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Calls returns the REST method of every request so far, in arrival order.
func (s *Server) Calls() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Call)
	}
	return out
}

// Find returns the recorded requests of one REST method.
func (s *Server) Find(call string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Call == call {
			out = append(out, r)
		}
	}
	return out
}

// Reset forgets the recorded requests (not the tables or jobs).
func (s *Server) Reset() { s.locked(func() { s.requests = nil }) }

// apiError is an error answer in Google's JSON error format.
type apiError struct {
	Code     int
	Reason   string
	Message  string
	Location string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Code, e.Reason, e.Message) }

func errNotFound(format string, args ...any) *apiError {
	return &apiError{Code: http.StatusNotFound, Reason: "notFound", Message: "Not found: " + fmt.Sprintf(format, args...)}
}

func errInvalid(format string, args ...any) *apiError {
	return &apiError{Code: http.StatusBadRequest, Reason: "invalid", Message: fmt.Sprintf(format, args...)}
}

// httpError is the error answer of a failed job's errorResult, as jobs.query and getQueryResults send it.
func httpError(e *bqapi.ErrorProto) *apiError {
	code := http.StatusBadRequest
	switch e.Reason {
	case "notFound":
		code = http.StatusNotFound
	case "duplicate":
		code = http.StatusConflict
	case "backendError":
		code = http.StatusServiceUnavailable
	case "internalError":
		code = http.StatusInternalServerError
	case "rateLimitExceeded", "accessDenied", "quotaExceeded":
		code = http.StatusForbidden
	}
	return &apiError{Code: code, Reason: e.Reason, Message: e.Message, Location: e.Location}
}

// raw is an answer whose status and headers the handler sets itself.
type raw struct {
	status int
	header http.Header
	body   any
}

type handler func(r *http.Request, req *Request) (any, error)

// handle registers a REST method: it records the request, applies faults, and writes the answer.
func (s *Server) handle(mux *http.ServeMux, call, pattern string, h handler) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, &apiError{Code: http.StatusBadRequest, Reason: "invalid", Message: err.Error()})
			return
		}
		req := Request{Call: call, Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: body}
		if f := s.fault(call, r); f != nil {
			s.locked(func() { s.requests = append(s.requests, req) })
			writeError(w, f)
			return
		}
		resp, err := h(r, &req)
		s.locked(func() { s.requests = append(s.requests, req) })
		if err != nil {
			writeError(w, err)
			return
		}
		writeAnswer(w, resp)
	})
}

func writeAnswer(w http.ResponseWriter, resp any) {
	status := http.StatusOK
	if r, ok := resp.(raw); ok {
		for k, v := range r.header {
			w.Header()[k] = v
		}
		status, resp = r.status, r.body
	}
	if resp == nil {
		w.WriteHeader(status)
		return
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(resp); err != nil {
		writeError(w, &apiError{Code: http.StatusInternalServerError, Reason: "internalError", Message: err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func writeError(w http.ResponseWriter, err error) {
	e, ok := err.(*apiError)
	if !ok {
		e = &apiError{Code: http.StatusInternalServerError, Reason: "internalError", Message: err.Error()}
	}
	body := map[string]any{"error": map[string]any{
		"code":    e.Code,
		"message": e.Message,
		"errors":  []map[string]string{{"message": e.Message, "domain": "global", "reason": e.Reason, "location": e.Location}},
		"status":  http.StatusText(e.Code),
	}}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(e.Code)
	json.NewEncoder(w).Encode(body)
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	const api = "/bigquery/v2/projects/{project}"
	s.handle(mux, "jobs.insert", "POST "+api+"/jobs", s.jobsInsert)
	s.handle(mux, "jobs.insert", "POST /upload/bigquery/v2/projects/{project}/jobs", s.jobsUpload)
	s.handle(mux, "jobs.get", "GET "+api+"/jobs/{job}", s.jobsGet)
	s.handle(mux, "jobs.query", "POST "+api+"/queries", s.jobsQuery)
	s.handle(mux, "jobs.getQueryResults", "GET "+api+"/queries/{job}", s.jobsGetQueryResults)
	s.handle(mux, "tables.list", "GET "+api+"/datasets/{dataset}/tables", s.tablesList)
	s.handle(mux, "tables.insert", "POST "+api+"/datasets/{dataset}/tables", s.tablesInsert)
	s.handle(mux, "tables.get", "GET "+api+"/datasets/{dataset}/tables/{table}", s.tablesGet)
	s.handle(mux, "tables.delete", "DELETE "+api+"/datasets/{dataset}/tables/{table}", s.tablesDelete)
	s.handle(mux, "tabledata.list", "GET "+api+"/datasets/{dataset}/tables/{table}/data", s.tabledataList)
	s.handle(mux, "tabledata.insertAll", "POST "+api+"/datasets/{dataset}/tables/{table}/insertAll", s.tabledataInsertAll)
	s.handle(mux, "unknown", "/", func(r *http.Request, _ *Request) (any, error) {
		return nil, &apiError{Code: http.StatusNotImplemented, Reason: "notImplemented",
			Message: fmt.Sprintf("the fake does not answer %s %s", r.Method, r.URL.Path)}
	})
	return mux
}
