package tracking

import (
	"context"
	"fmt"
	"time"
)

// RowTrace is one row's trace in <prefix>_unitary_prediction_tracking_<predictions table>: what happened to a
// row sent for prediction, kept for the forensics of a failed run. Document id: DocID(RowID).
type RowTrace struct {
	RowID  string
	Status TraceStatus
	Error  string
	At     time.Time // when the status was recorded; the clock's time when zero
}

// TraceStatus is what happened to a row.
type TraceStatus string

// The states of a traced row.
const (
	TraceSent      TraceStatus = "sent"
	TracePredicted TraceStatus = "predicted"
	TraceFailed    TraceStatus = "failed"
)

// Fields of a trace document.
const (
	fRowID = "row_id"
	fAt    = "at"
)

// TraceRows records rows' states for a predictions table (e.g. "project.dataset.predictions_20200511"),
// replacing earlier states of the same rows. Rows are written in commits of up to MaxBatch; a row that appears
// twice in one commit keeps its last state.
func (t *Tracker) TraceRows(ctx context.Context, table string, rows []RowTrace) error {
	coll, now := t.names.Trace(table), t.now()
	for start := 0; start < len(rows); start += MaxBatch {
		batch := map[string]Fields{}
		for _, row := range rows[start:min(start+MaxBatch, len(rows))] {
			if row.RowID == "" {
				return fmt.Errorf("trace rows of %s: row with an empty id", table)
			}
			switch row.Status {
			case TraceSent, TracePredicted, TraceFailed:
			default:
				return fmt.Errorf("trace rows of %s: row %q: unknown status %q", table, row.RowID, row.Status)
			}
			at := now
			if !row.At.IsZero() {
				at = storedTime(row.At)
			}
			fields := Fields{fRowID: row.RowID, fStatus: string(row.Status), fAt: at}
			if row.Error != "" {
				fields[fError] = row.Error
			}
			batch[DocID(row.RowID)] = fields
		}
		if err := t.store.SetAll(ctx, coll, batch); err != nil {
			return fmt.Errorf("trace rows of %s: %w", table, err)
		}
	}
	return nil
}

// Traces returns the row traces of a predictions table, by document id.
func (t *Tracker) Traces(ctx context.Context, table string) ([]RowTrace, []Problem, error) {
	return listAll(ctx, t, t.names.Trace(table), "list traces of "+table, decodeTrace)
}

func decodeTrace(d Doc) (RowTrace, *Problem) {
	r := newReader(d)
	rt := RowTrace{
		RowID:  r.str(fRowID, true),
		Status: TraceStatus(r.str(fStatus, true)),
		Error:  r.str(fError, false),
		At:     r.time(fAt, true),
	}
	r.oneOf(fStatus, string(rt.Status), string(TraceSent), string(TracePredicted), string(TraceFailed))
	return rt, r.problem()
}
