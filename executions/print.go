package executions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteList prints executions as a table, or as a JSON array with asJSON; now is used for the duration of
// the active ones.
func WriteList(w io.Writer, list []Execution, asJSON bool, now time.Time) error {
	if asJSON {
		if list == nil {
			list = []Execution{}
		}
		return writeJSON(w, list)
	}
	list = slices.Clone(list)
	slices.SortStableFunc(list, func(a, b Execution) int { return b.StartTime.Compare(a.StartTime) }) // newest first
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWORKFLOW\tDATE\tSTATE\tSTEPS\tSTARTED\tDURATION")
	for _, e := range list {
		steps := "-"
		if e.Steps > 0 {
			steps = fmt.Sprint(e.Steps)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Workflow, e.RunDates(), e.State, steps,
			e.StartTime.UTC().Format(time.RFC3339), e.Duration(now).Round(time.Millisecond))
	}
	return tw.Flush()
}

// WriteDescribe prints one execution in detail, or as a JSON object with asJSON.
func WriteDescribe(w io.Writer, e Execution, asJSON bool, now time.Time) error {
	if asJSON {
		return writeJSON(w, e)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "id:        %s\n", e.ID)
	fmt.Fprintf(&sb, "workflow:  %s\n", e.Workflow)
	fmt.Fprintf(&sb, "state:     %s\n", e.State)
	if e.Steps > 0 {
		fmt.Fprintf(&sb, "steps:     %d\n", e.Steps)
	}
	fmt.Fprintf(&sb, "started:   %s\n", e.StartTime.UTC().Format(time.RFC3339Nano))
	if !e.EndTime.IsZero() {
		fmt.Fprintf(&sb, "ended:     %s\n", e.EndTime.UTC().Format(time.RFC3339Nano))
	}
	fmt.Fprintf(&sb, "duration:  %s\n", e.Duration(now).Round(time.Millisecond))
	fmt.Fprintf(&sb, "argument:\n%s\n", indentJSON(e.Argument))
	if e.State == StateSucceeded {
		fmt.Fprintf(&sb, "result:\n%s\n", indentJSON(e.Result))
	}
	if e.Error != nil {
		fmt.Fprintf(&sb, "error:\n%s\n", indentJSON(e.Error.Payload))
		if e.Error.Context != "" {
			fmt.Fprintf(&sb, "context:\n  %s\n", strings.ReplaceAll(e.Error.Context, "\n", "\n  "))
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// indentJSON indents a JSON text by two spaces for display, leaving anything else as it is.
func indentJSON(s string) string {
	if s == "" {
		return "  null"
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(s), "  ", "  "); err != nil {
		return "  " + s
	}
	return "  " + buf.String()
}

// RunDates is what the execution's argument says it runs for: its "date", or its "from".."to"; "-" when it
// names none.
func (e Execution) RunDates() string {
	var a struct{ Date, From, To string }
	if json.Unmarshal([]byte(e.Argument), &a) != nil {
		return "-"
	}
	switch {
	case a.Date != "":
		return a.Date
	case a.From != "" && a.To != "" && a.To != a.From:
		return a.From + ".." + a.To
	case a.From != "":
		return a.From
	}
	return "-"
}
