package warehouse

import (
	"errors"
	"fmt"
)

// Labels are the labels of a job. Every job pltv starts carries the deployment, the stage and the run date,
// so that the audit-log event of its completion can be routed back to the right service and date.
type Labels map[string]string

// Label keys set on every job.
const (
	LabelDeployment = "pltv_deployment"
	LabelStage      = "pltv_stage"
	LabelDate       = "pltv_date"
)

// JobLabels returns the labels of a pipeline job.
func JobLabels(deployment, stage, date string) Labels {
	return Labels{LabelDeployment: deployment, LabelStage: stage, LabelDate: date}
}

// ErrNotFound is returned (wrapped) when a table a job reads or copies does not exist.
var ErrNotFound = errors.New("not found")

// SQLError is a query that the warehouse refused: a syntax error, an unknown name, or a construct the driver
// does not support. Line and Column are 1-based positions in the SQL text when the driver knows them.
type SQLError struct {
	Line, Column int
	Message      string
}

func (e *SQLError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

// UnsupportedError is a GoogleSQL construct the embedded driver does not translate.
type UnsupportedError struct {
	Construct string
	Line      int
}

func (e *UnsupportedError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: unsupported GoogleSQL construct %s in the embedded warehouse", e.Line, e.Construct)
	}
	return fmt.Sprintf("unsupported GoogleSQL construct %s in the embedded warehouse", e.Construct)
}
