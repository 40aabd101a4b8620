package bigquery

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/googleapi"

	"github.com/pltv/pltv/warehouse"
)

func TestSQLError(t *testing.T) {
	tests := []struct {
		name string
		msg  string
		want *warehouse.SQLError
	}{
		{"syntax", `Syntax error: Expected end of input but got keyword WHERE at [3:7]`,
			&warehouse.SQLError{Line: 3, Column: 7, Message: "Syntax error: Expected end of input but got keyword WHERE"}},
		{"unknown name", "Unrecognized name: no_such_column; Did you mean a? at [3:3]",
			&warehouse.SQLError{Line: 3, Column: 3, Message: "Unrecognized name: no_such_column; Did you mean a?"}},
		{"position inside the message", "Function not found: NO_SUCH_FUNCTION at [3:3]; see the documentation",
			&warehouse.SQLError{Line: 3, Column: 3, Message: "Function not found: NO_SUCH_FUNCTION; see the documentation"}},
		{"last position wins", "Column a at [1:8] conflicts with b at [12:40]",
			&warehouse.SQLError{Line: 12, Column: 40, Message: "Column a at [1:8] conflicts with b"}},
		{"no position", "Query exceeded resource limits", &warehouse.SQLError{Message: "Query exceeded resource limits"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, sqlError(tt.msg)); diff != "" {
				t.Errorf("sqlError(%q) (-want +got):\n%s", tt.msg, diff)
			}
		})
	}
}

func FuzzSQLError(f *testing.F) {
	f.Add("Syntax error: Unexpected end of script at [1:9]")
	f.Add("at [99999999999999999999:1]")
	f.Add("[1:2] at [3:4")
	f.Fuzz(func(t *testing.T, msg string) {
		e := sqlError(msg)
		if e.Line < 0 || e.Column < 0 || len(e.Message) > len(msg) {
			t.Errorf("sqlError(%q) = %+v", msg, e)
		}
	})
}

func TestCallError(t *testing.T) {
	apiErr := func(code int, reason, msg string) error {
		return fmt.Errorf("wrapped by the client: %w", &googleapi.Error{Code: code, Message: msg,
			Errors: []googleapi.ErrorItem{{Reason: reason, Message: msg}}})
	}
	tests := []struct {
		name      string
		err       error
		notFound  bool
		retryable bool
		sql       bool
	}{
		{name: "404", err: apiErr(404, "notFound", "Not found: Table p:d.t"), notFound: true},
		{name: "notFound reason", err: apiErr(400, "notFound", "Not found: Dataset p:d"), notFound: true},
		{name: "invalid query", err: apiErr(400, "invalidQuery", "Syntax error: x at [1:2]"), sql: true},
		{name: "backend error", err: apiErr(503, "backendError", "try later"), retryable: true},
		{name: "rate limit", err: apiErr(403, "rateLimitExceeded", "slow down"), retryable: true},
		{name: "internal error", err: apiErr(500, "internalError", "oops"), retryable: true},
		{name: "429 without reason", err: &googleapi.Error{Code: 429}, retryable: true},
		{name: "bad gateway without reason", err: &googleapi.Error{Code: 502}, retryable: true},
		{name: "invalid", err: apiErr(400, "invalid", "Invalid value")},
		{name: "access denied", err: apiErr(403, "accessDenied", "Access Denied")},
		{name: "not an API error", err: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callError(tt.err, "table p.d.t")
			if is := errors.Is(got, warehouse.ErrNotFound); is != tt.notFound {
				t.Errorf("ErrNotFound = %v, want %v: %v", is, tt.notFound, got)
			}
			if is := IsRetryable(got); is != tt.retryable {
				t.Errorf("IsRetryable = %v, want %v: %v", is, tt.retryable, got)
			}
			var sqlErr *warehouse.SQLError
			if is := errors.As(got, &sqlErr); is != tt.sql {
				t.Errorf("SQLError = %v, want %v: %v", is, tt.sql, got)
			}
			if !tt.sql && !errors.Is(got, tt.err) {
				t.Errorf("%v does not wrap %v", got, tt.err)
			}
		})
	}
}
