package cli

import (
	"context"
	"strings"
	"testing"
)

// TestRecoverUtilities runs each recovery utility on a state, first with --dry-run (which changes nothing),
// then for real, and checks the summary lines and that bad names are refused before any table is touched.
func TestRecoverUtilities(t *testing.T) {
	ctx := context.Background()
	state := initState(t, 4)
	if out, err := execute(t, ctx, "run", "--from", "20101202", "--to", "20101203", "--stages", "extract,prepare,filter", "--state", state); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	tables := func() string {
		out, err := execute(t, ctx, "tables", "ls", "--state", state)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	steps := []struct {
		args    []string
		summary string
	}{
		{[]string{"recover", "copy", "--from", "20101202", "--to", "20101203", "--to-dataset", "backup", "--tables", "prepared_daily", "--dry-run"}, "would copy 2 tables dated 20101202..20101203 from pltv to backup (0 rows)"},
		{[]string{"recover", "drop", "--from", "20101202", "--tables", "prepared_new", "--dry-run"}, "would drop 1 tables dated 20101202..20101202"},
		{[]string{"recover", "rerun", "--stage", "filter", "--from", "20101202", "--to", "20101203", "--dry-run"}, "would re-run filter for 2 dates (20101202..20101203)"},
		{[]string{"recover", "tracking", "--dry-run"}, "would fail 0 stale prepares as interrupted"},
	}
	before := tables()
	for _, s := range steps {
		out, err := execute(t, ctx, append(s.args, "--state", state)...)
		if err != nil || !strings.Contains(out, s.summary) {
			t.Errorf("pltv %s: %v\n%s\nwant the summary %q", strings.Join(s.args, " "), err, out, s.summary)
		}
	}
	if after := tables(); after != before {
		t.Errorf("dry runs changed the tables:\n%s\nthen:\n%s", before, after)
	}
	done := []string{"copied 2 tables dated 20101202..20101203 from pltv to backup (224 rows)", "dropped 1 tables dated 20101202..20101202",
		"re-ran filter for 2 of 2 dates (20101202..20101203)", "failed 0 stale prepares as interrupted"}
	for i, s := range steps {
		args := s.args[:len(s.args)-1] // without --dry-run
		out, err := execute(t, ctx, append(args, "--state", state)...)
		if err != nil || !strings.Contains(out, done[i]) {
			t.Errorf("pltv %s: %v\n%s\nwant the summary %q", strings.Join(args, " "), err, out, done[i])
		}
	}
	for _, bad := range [][]string{
		{"recover", "copy", "--from", "20101202", "--to-dataset", "x`; DROP TABLE y; --"},
		{"recover", "drop", "--from", "20101202", "--tables", "a b"},
		{"recover", "rerun", "--stage", "filter;", "--from", "20101202"},
		{"recover", "drop", "--from", "2010-12-02"},
	} {
		if out, err := execute(t, ctx, append(bad, "--state", state)...); err == nil {
			t.Errorf("pltv %s: no error\n%s", strings.Join(bad, " "), out)
		}
	}
}
