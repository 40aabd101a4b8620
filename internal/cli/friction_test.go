package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandsSayWhatIsWrongWithTheirStateAndFlags(t *testing.T) {
	dir := t.TempDir()
	missing, empty := filepath.Join(dir, "missing"), filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"status", "--state", missing}, "does not exist: run pltv init"},
		{[]string{"tables", "ls", "--state", missing}, "does not exist: run pltv init"},
		{[]string{"tracking", "ls", "--state", missing}, "does not exist: run pltv init"},
		{[]string{"executions", "list", "--state", missing}, "does not exist: run pltv init"},
		{[]string{"status", "--state", empty}, "is not initialised: run pltv init"},
		{[]string{"run", "--from", "20110601", "--state", empty}, "is not initialised: run pltv init"},
		{[]string{"run", "--from", "2011-06-01", "--state", empty}, "--from: "},
		{[]string{"status", "--from", "20110601", "--to", "201106", "--state", empty}, "--to: "},
		{[]string{"backfill", "--from", "20110631", "--state", empty}, "--from: "},
		{[]string{"tables", "drop", "--from", "20110601", "--to", "x", "--state", empty}, "--to: "},
		{[]string{"generate", "--customers", "5", "--out", filepath.Join(dir, "g"), "--start", "2010-12-01"}, "--start"},
	} {
		t.Run(strings.Join(tc.args[:2], " "), func(t *testing.T) {
			_, err := execute(t, context.Background(), tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("pltv %s: got %v, want an error with %q", strings.Join(tc.args, " "), err, tc.want)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a command that only reads created the missing state %s", missing)
	}
}

func TestAFailingDemoLeavesNoHalfMadeState(t *testing.T) {
	dir := t.TempDir()
	src, state := filepath.Join(dir, "src"), filepath.Join(dir, "state")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "2010-12-01.csv"), []byte("not,the,online,retail\ncolumns\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := execute(t, context.Background(), "demo", "--state", state, "--source", src); err == nil {
		t.Fatal("demo on a bad day file succeeded")
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("the failed demo left its state %s behind (%v)", state, err)
	}
}
