package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pltv/pltv/config"
)

// FuzzCheck feeds arbitrary files to the loader: it must never panic, and every problem must be located in
// the file (a file's problems never come from the environment or lose their file name).
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		"", "DEPLOYMENT_NAME: food\n", "MAX_TASKS_PER_POLL: [1\n", "EXTRA_DATA:\n  - table: t\n    csv: x\n",
		"CUSTOM_VARIABLES: {A: &a b, B: *a}\n", "- a\n", "TIMEZONE: Europe/Madrid\nTIMEZONE: UTC\n",
		"MODEL_STOPPER_POLLER_CONFIG: '*/7 * * * 1-5'\n", "a: b: c", "? [a]\n: b\n", "\t",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	path := filepath.Join(dir, "pltv.yaml")
	f.Fuzz(func(t *testing.T, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, p := range config.Check(path, nil) {
			if p.Env || !strings.HasPrefix(p.Error(), path) {
				t.Errorf("problem %q is not located in %s", p.Error(), path)
			}
		}
	})
}
