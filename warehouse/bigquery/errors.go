package bigquery

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	gbq "cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"

	"github.com/pltv/pltv/warehouse"
)

// ErrRetryable is wrapped by errors that a later attempt may not meet: rate limits, backend and internal
// errors, 5xx answers. The client library already retries such calls until the context ends, so a caller
// meets it when its context ran out during those retries, or when a job itself failed for such a reason.
var ErrRetryable = errors.New("retryable")

// IsRetryable reports whether err wraps ErrRetryable.
func IsRetryable(err error) bool { return errors.Is(err, ErrRetryable) }

// retryableReasons are the error reasons BigQuery documents as transient.
var retryableReasons = map[string]bool{
	"backendError":         true,
	"internalError":        true,
	"rateLimitExceeded":    true,
	"jobRateLimitExceeded": true,
	"jobBackendError":      true,
	"jobInternalError":     true,
}

// callError classifies an error of one API call about subject (e.g. "table p.d.t"): not found, a refused
// query, retryable, or as it is.
func callError(err error, subject string) error {
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) {
		return err
	}
	reason, msg := "", gerr.Message
	if len(gerr.Errors) > 0 {
		reason = gerr.Errors[0].Reason
		if gerr.Errors[0].Message != "" {
			msg = gerr.Errors[0].Message
		}
	}
	switch {
	case gerr.Code == http.StatusNotFound || reason == "notFound":
		return fmt.Errorf("%s %w: %w", subject, warehouse.ErrNotFound, err)
	case reason == "invalidQuery":
		return sqlError(msg)
	case retryableReasons[reason] || gerr.Code == http.StatusTooManyRequests || gerr.Code >= 500:
		return fmt.Errorf("%w: %w", ErrRetryable, err)
	}
	return err
}

// isNotFound reports whether a client call failed because its table (or job) does not exist.
func isNotFound(err error) bool {
	var gerr *googleapi.Error
	return errors.As(err, &gerr) && gerr.Code == http.StatusNotFound
}

// isDuplicate reports whether a create failed because the table exists.
func isDuplicate(err error) bool {
	var gerr *googleapi.Error
	return errors.As(err, &gerr) && gerr.Code == http.StatusConflict
}

// jobError is a job that ended with an errorResult.
type jobError struct {
	id      string
	reason  string
	message string
	details []string // the job's other errors
	kind    error    // warehouse.ErrNotFound, ErrRetryable or nil
}

func (e *jobError) Error() string {
	s := fmt.Sprintf("job %s failed (%s): %s", e.id, e.reason, e.message)
	if len(e.details) > 0 {
		s += "; " + strings.Join(e.details, "; ")
	}
	return s
}

func (e *jobError) Unwrap() error { return e.kind }

// maxDetails caps the job errors quoted in a message (a bad CSV load can have thousands).
const maxDetails = 5

// jobFailure turns the errorResult of a DONE job into the port's errors.
func jobFailure(id string, st *gbq.JobStatus) error {
	var e *gbq.Error
	if !errors.As(st.Err(), &e) {
		return fmt.Errorf("job %s failed: %w", id, st.Err())
	}
	if e.Reason == "invalidQuery" {
		return fmt.Errorf("job %s: %w", id, sqlError(e.Message))
	}
	je := &jobError{id: id, reason: e.Reason, message: e.Message}
	switch {
	case e.Reason == "notFound":
		je.kind = warehouse.ErrNotFound
	case retryableReasons[e.Reason]:
		je.kind = ErrRetryable
	}
	for _, d := range st.Errors {
		if d == nil || d.Message == e.Message {
			continue
		}
		if len(je.details) == maxDetails {
			je.details = append(je.details, fmt.Sprintf("and %d more", len(st.Errors)-maxDetails-1))
			break
		}
		je.details = append(je.details, d.Message)
	}
	return je
}

// positionRE matches BigQuery's position of an error in the SQL text: "... at [3:14]".
var positionRE = regexp.MustCompile(`\s*at \[(\d+):(\d+)\]`)

// sqlError makes a *warehouse.SQLError of a refused query's message, taking the line and column from its
// last "[line:column]" and leaving that out of the message.
func sqlError(msg string) *warehouse.SQLError {
	e := &warehouse.SQLError{Message: msg}
	all := positionRE.FindAllStringSubmatchIndex(msg, -1)
	if len(all) == 0 {
		return e
	}
	m := all[len(all)-1]
	e.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
	e.Column, _ = strconv.Atoi(msg[m[4]:m[5]])
	e.Message = msg[:m[0]] + msg[m[1]:]
	return e
}
