package fakebq

import (
	"fmt"

	bqapi "google.golang.org/api/bigquery/v2"
)

// Query is a query job as the script sees it.
type Query struct {
	Call        string // "jobs.insert" or "jobs.query"
	JobID       string
	Location    string
	SQL         string
	Params      []*bqapi.QueryParameter
	Destination *bqapi.TableReference // nil without a destination table
	Write       string                // the write disposition as sent
	Labels      map[string]string
}

// Answer is the scripted outcome of a query job. The fake executes no SQL: a job with a destination table
// writes Rows into it under the job's write and create dispositions, and every job returns Rows as its
// result.
type Answer struct {
	Schema          *bqapi.TableSchema
	Rows            [][]any // Go values in schema order, as PutTable takes them
	StatementType   string  // SELECT when empty
	DMLAffectedRows int64
	Error           *bqapi.ErrorProto // the job fails with this errorResult
	Polls           int               // status reads answering RUNNING, on top of SetPolls
}

// OnQuery sets the script of query jobs. It runs outside the fake's lock, so it may call PutTable (for a
// statement with effects). Without a script every query job fails with invalidQuery.
func (s *Server) OnQuery(f func(Query) Answer) { s.locked(func() { s.answer = f }) }

func (s *Server) script(q Query) Answer {
	s.mu.Lock()
	f := s.answer
	s.mu.Unlock()
	if f == nil {
		return Answer{Error: &bqapi.ErrorProto{Reason: "invalidQuery", Location: "query",
			Message: "the fake has no script for queries"}}
	}
	return f(q)
}

// SyntaxError is the errorResult BigQuery gives a query it cannot parse, at a 1-based line and column.
func SyntaxError(line, column int, what string) *bqapi.ErrorProto {
	return &bqapi.ErrorProto{Reason: "invalidQuery", Location: "query",
		Message: fmt.Sprintf("Syntax error: %s at [%d:%d]", what, line, column)}
}
