package events

import (
	"fmt"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// DateLayout is the layout of a run date: YYYYMMDD.
const DateLayout = "20060102"

// Route is what the pipeline labels of a job say: which deployment started it, for which stage and date.
type Route struct {
	Deployment string
	Stage      string
	Date       string // YYYYMMDD
}

// RouteOf reads the pipeline labels (warehouse.JobLabels). A missing label is ErrNoLabel: the job is not
// pltv's. A date that does not parse is ErrMalformed.
func RouteOf(labels warehouse.Labels) (Route, error) {
	var r Route
	for _, l := range []struct {
		key string
		dst *string
	}{{warehouse.LabelDeployment, &r.Deployment}, {warehouse.LabelStage, &r.Stage}} {
		v, ok := labels[l.key]
		if !ok || v == "" {
			return Route{}, fmt.Errorf("job label %s: %w", l.key, ErrNoLabel)
		}
		*l.dst = v
	}
	date, err := RunDate(labels)
	if err != nil {
		return Route{}, err
	}
	r.Date = date
	return r, nil
}

// RunDate returns the pltv_date label of a job, checked to be a YYYYMMDD date. A missing label is
// ErrNoLabel; a label that is not a date is ErrMalformed.
func RunDate(labels warehouse.Labels) (string, error) {
	v, ok := labels[warehouse.LabelDate]
	if !ok || v == "" {
		return "", fmt.Errorf("job label %s: %w", warehouse.LabelDate, ErrNoLabel)
	}
	if err := CheckDate(v); err != nil {
		return "", &DecodeError{Field: "labels." + warehouse.LabelDate, Err: err}
	}
	return v, nil
}

// CheckDate reports whether s is a valid YYYYMMDD date.
func CheckDate(s string) error {
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Format(DateLayout) != s {
		return fmt.Errorf("%q is not a YYYYMMDD date", s)
	}
	return nil
}
