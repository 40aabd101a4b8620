package tracking

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// CleanOptions choose what Cleanup deletes.
type CleanOptions struct {
	DryRun bool // list what would be deleted, delete nothing
	All    bool // delete every document of the deployment, sound or not, finished or not
}

// CleanReport is what Cleanup deleted, or would delete on a dry run.
type CleanReport struct {
	DryRun   bool       `json:"dry_run"`
	Deleted  []Deletion `json:"deleted"`
	Problems []Problem  `json:"problems,omitempty"` // documents of an unknown shape, left in place
}

// Deletion is one deleted document and why.
type Deletion struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Cleanup deletes what the deployment no longer needs: finished prepares, finished predictions (but the
// latest, which dates the last activity), traces of rows predicted, finished and expired tasks, and expired
// events. Pending and running records, failed traces and documents of an unknown shape stay. With All it
// deletes every document of the deployment. Each deletion is conditional on the document as read, so a record
// that came back to life meanwhile stays.
func (t *Tracker) Cleanup(ctx context.Context, opts CleanOptions) (CleanReport, error) {
	colls, err := t.collections(ctx)
	if err != nil {
		return CleanReport{}, fmt.Errorf("clean: %w", err)
	}
	rep := CleanReport{DryRun: opts.DryRun, Deleted: []Deletion{}}
	now := t.now()
	for _, c := range colls {
		docs, err := t.store.Query(ctx, Query{Collection: c.Name})
		if err != nil {
			return rep, fmt.Errorf("clean %s: %w", c.Name, err)
		}
		keep := ""
		if !opts.All {
			keep = latestPrediction(c.Kind, docs)
		}
		for _, d := range docs {
			reason, problem := "everything (--all)", (*Problem)(nil)
			if !opts.All {
				reason, problem = cleanable(c.Kind, d, now)
			}
			if problem != nil {
				rep.Problems = append(rep.Problems, *problem)
				continue
			}
			if reason == "" || d.ID == keep {
				continue
			}
			if !opts.DryRun {
				deleted, err := t.deleteIf(ctx, d, opts.All)
				if err != nil {
					return rep, fmt.Errorf("clean %s: %w", d.Path(), err)
				}
				if !deleted {
					continue
				}
			}
			rep.Deleted = append(rep.Deleted, Deletion{Path: d.Path(), Reason: reason})
		}
	}
	report(ctx, t.opts.Logger, "clean", rep.Problems...)
	return rep, nil
}

// cleanable says why a sound document may go (empty: it stays), or what is wrong with it.
func cleanable(kind string, d Doc, now time.Time) (string, *Problem) {
	finished := func(s Status) string {
		if s == StatusDone || s == StatusFailed || s == StatusExpired {
			return "status " + string(s)
		}
		return ""
	}
	switch kind {
	case KindPrepare:
		p, prob := decodePrepare(d)
		return finished(p.Status), prob
	case KindPrediction:
		p, prob := decodePrediction(d)
		return finished(p.Status), prob
	case KindTasks:
		k, prob := decodeTask(d)
		return finished(k.Status), prob
	case KindTrace:
		rt, prob := decodeTrace(d)
		if rt.Status == TracePredicted {
			return "row predicted", prob
		}
		return "", prob
	case KindEvents:
		ev, prob := decodeEvent(d)
		if !ev.Expires.After(now) {
			if ev.State == EventInProgress {
				return "lease expired " + ev.Expires.Format(timeFormat), prob
			}
			return "expired " + ev.Expires.Format(timeFormat), prob
		}
		return "", prob
	}
	return "", nil
}

// latestPrediction returns the id of the sound prediction document with the latest activity, which cleaning
// keeps so the model stopper still sees when predictions last ran.
func latestPrediction(kind string, docs []Doc) string {
	if kind != KindPrediction {
		return ""
	}
	var id string
	var latest time.Time
	for _, d := range docs {
		if _, prob := decodePrediction(d); prob != nil {
			continue
		}
		if at := d.Fields[fActivity].(time.Time); id == "" || at.After(latest) {
			id, latest = d.ID, at
		}
	}
	return id
}

// deleteIf deletes a document as it was read, or unconditionally with all. A document that changed since
// (a prepare started again, a task claimed) stays: false.
func (t *Tracker) deleteIf(ctx context.Context, d Doc, all bool) (bool, error) {
	if all {
		return true, t.store.Delete(ctx, d.Collection, d.ID)
	}
	err := t.store.Remove(ctx, d)
	if errors.Is(err, ErrConflict) {
		return false, nil
	}
	return err == nil, err
}

// Clean cleans the deployment's collections and writes what it deleted (or would, with opts.DryRun) to w:
// one line per document, or JSON when asJSON. It backs `pltv tracking clean [--dry-run] [--all]`.
func Clean(ctx context.Context, t *Tracker, w io.Writer, opts CleanOptions, asJSON bool) error {
	rep, err := t.Cleanup(ctx, opts)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(w, rep)
	}
	verb := "deleted"
	if rep.DryRun {
		verb = "would delete"
	}
	var b strings.Builder
	for _, d := range rep.Deleted {
		fmt.Fprintf(&b, "%s %s (%s)\n", verb, d.Path, d.Reason)
	}
	fmt.Fprintf(&b, "%s %d documents\n", verb, len(rep.Deleted))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write clean report: %w", err)
	}
	return writeProblems(w, rep.Problems)
}
