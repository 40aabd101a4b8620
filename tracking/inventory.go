package tracking

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Inventory is what `pltv tracking ls` shows: the deployment's collections with their document counts and,
// when asked, their documents.
type Inventory struct {
	Prefix      string       `json:"prefix"`
	Collections []Collection `json:"collections"`
	Problems    []Problem    `json:"problems,omitempty"` // checked only when documents are listed
}

// Collection is one collection of the inventory.
type Collection struct {
	Name      string     `json:"name"`
	Kind      string     `json:"kind"`
	Count     int        `json:"count"`
	Documents []Document `json:"documents,omitempty"`
}

// Document is one document as stored, sound or not.
type Document struct {
	ID     string `json:"id"`
	Fields Fields `json:"fields"`
}

// ListOptions choose what List shows.
type ListOptions struct {
	Documents bool // list every document, and check each one's shape
}

// decoders check a document of each kind; a nil result means it is sound.
var decoders = map[string]func(Doc) *Problem{
	KindPrepare:    func(d Doc) *Problem { _, p := decodePrepare(d); return p },
	KindPrediction: func(d Doc) *Problem { _, p := decodePrediction(d); return p },
	KindTrace:      func(d Doc) *Problem { _, p := decodeTrace(d); return p },
	KindTasks:      func(d Doc) *Problem { _, p := decodeTask(d); return p },
	KindEvents:     func(d Doc) *Problem { _, p := decodeEvent(d); return p },
	KindFilterRead: func(d Doc) *Problem { _, p := decodeFilterRead(d); return p },
}

// collections returns the deployment's collections and their kinds: the fixed ones and Options.OtherKinds,
// present or not, then the per-row trace collections that exist.
func (t *Tracker) collections(ctx context.Context) ([]Collection, error) {
	var out []Collection
	for _, kind := range append([]string{KindPrepare, KindPrediction, KindTasks, KindEvents, KindFilterRead}, t.opts.OtherKinds...) {
		out = append(out, Collection{Name: t.names.Of(kind), Kind: kind})
	}
	traces, err := t.store.Collections(ctx, t.names.TracePrefix())
	if err != nil {
		return nil, err
	}
	for _, name := range traces {
		out = append(out, Collection{Name: name, Kind: KindTrace})
	}
	return out, nil
}

// Inventory lists the deployment's collections with their counts, and their documents when withDocuments.
func (t *Tracker) Inventory(ctx context.Context, opts ListOptions) (Inventory, error) {
	colls, err := t.collections(ctx)
	if err != nil {
		return Inventory{}, fmt.Errorf("list collections: %w", err)
	}
	inv := Inventory{Prefix: t.names.Prefix}
	for _, c := range colls {
		if !opts.Documents {
			if c.Count, err = t.store.Count(ctx, c.Name); err != nil {
				return Inventory{}, fmt.Errorf("count %s: %w", c.Name, err)
			}
			inv.Collections = append(inv.Collections, c)
			continue
		}
		docs, err := t.store.Query(ctx, Query{Collection: c.Name})
		if err != nil {
			return Inventory{}, fmt.Errorf("list %s: %w", c.Name, err)
		}
		c.Count = len(docs)
		for _, d := range docs {
			c.Documents = append(c.Documents, Document{ID: d.ID, Fields: d.Fields})
			if decode := decoders[c.Kind]; decode != nil { // other packages' kinds are theirs to check
				if p := decode(d); p != nil {
					inv.Problems = append(inv.Problems, *p)
				}
			}
		}
		inv.Collections = append(inv.Collections, c)
	}
	report(ctx, t.opts.Logger, "list collections", inv.Problems...)
	return inv, nil
}

// List writes the inventory to w: a table, or JSON when asJSON. It backs `pltv tracking ls`.
func List(ctx context.Context, t *Tracker, w io.Writer, opts ListOptions, asJSON bool) error {
	inv, err := t.Inventory(ctx, opts)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(w, inv)
	}
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COLLECTION\tKIND\tDOCUMENTS")
	for _, c := range inv.Collections {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", c.Name, c.Kind, c.Count)
	}
	tw.Flush() // writes to memory, cannot fail
	for _, c := range inv.Collections {
		if len(c.Documents) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s:\n", c.Name)
		for _, d := range c.Documents {
			fields, err := json.Marshal(d.Fields)
			if err != nil {
				return fmt.Errorf("write %s/%s: %w", c.Name, d.ID, err)
			}
			fmt.Fprintf(&b, "  %s  %s\n", d.ID, fields)
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write collections: %w", err)
	}
	return writeProblems(w, inv.Problems)
}

func writeProblems(w io.Writer, problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\ndocuments of an unknown shape (%d):\n", len(problems))
	for _, p := range problems {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write problems: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
