package config_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/config"
)

// cmpConfig compares Configs by what they mean: zones by name, schedules by spec.
var cmpConfig = cmp.Options{
	cmpopts.IgnoreUnexported(config.Config{}),
	cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() }),
	cmp.Comparer(func(a, b config.Cron) bool { return a.Spec == b.Spec && (a.Schedule == nil) == (b.Schedule == nil) }),
	cmpopts.EquateEmpty(),
}

// env is an environment for Load's lookup.
type env map[string]string

func (e env) lookup(key string) (string, bool) {
	v, ok := e[key]
	return v, ok
}

// inDir makes a directory holding the given files (name → content) the working directory of the test,
// so that problems name the file as "pltv.yaml".
func inDir(t *testing.T, files map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

// messages returns the text of each problem.
func messages(ps []config.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Error())
	}
	return out
}
