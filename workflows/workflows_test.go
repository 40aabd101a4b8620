package workflows_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows"
	"github.com/pltv/pltv/workflows/engine"
	"go.yaml.in/yaml/v3"
)

// TestSchema is what deploying would check first: each embedded workflow passes the official JSON Schema and
// the engine's deploy-time checks.
func TestSchema(t *testing.T) {
	for _, name := range workflows.Names() {
		t.Run(name, func(t *testing.T) {
			src, err := workflows.Source(name)
			if err != nil {
				t.Fatal(err)
			}
			w, err := engine.Parse(src)
			if err != nil {
				t.Fatalf("%s.yaml does not validate: %v", name, err)
			}
			if len(w.Subworkflows()) == 0 {
				t.Errorf("%s.yaml has no subworkflows", name)
			}
		})
	}
}

func TestNames(t *testing.T) {
	if diff := cmp.Diff([]string{"backfill", "daily"}, workflows.Names()); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	for _, name := range workflows.Names() {
		src, err := workflows.Source(name)
		if err != nil {
			t.Fatal(err)
		}
		onDisk, err := os.ReadFile(name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		if string(src) != string(onDisk) {
			t.Errorf("Source(%q) is not %s.yaml", name, name)
		}
	}
	if _, err := workflows.Source("weekly"); !errors.Is(err, workflows.ErrUnknown) {
		t.Errorf("Source(weekly) = %v, want ErrUnknown", err)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	custom := filepath.Join(dir, "custom.yaml")
	if err := os.WriteFile(custom, []byte("main:\n  steps:\n    - done:\n        return: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	daily, err := workflows.Source(workflows.Daily)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, arg, wantName, wantSource string
		wantErr                         error
	}{
		{name: "a bare name is the embedded file", arg: "daily", wantName: "daily", wantSource: string(daily)},
		{name: "a path is read from disk", arg: custom, wantName: "custom", wantSource: "main:\n  steps:\n    - done:\n        return: 1\n"},
		{name: "an unknown name", arg: "weekly", wantErr: workflows.ErrUnknown},
		{name: "a missing file", arg: filepath.Join(dir, "gone.yaml"), wantErr: fs.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, name, err := workflows.Resolve(tc.arg)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Resolve(%q) error = %v, want %v", tc.arg, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if name != tc.wantName || string(src) != tc.wantSource {
				t.Errorf("Resolve(%q) = %q named %q, want %q named %q", tc.arg, src, name, tc.wantSource, tc.wantName)
			}
		})
	}
}

// TestEveryCallIsAuthenticated walks both files: Cloud Workflows sends no identity unless a call says so,
// and the functions take only calls with an ID token, so every http.* call carries auth {type: OIDC}.
func TestEveryCallIsAuthenticated(t *testing.T) {
	for _, name := range workflows.Names() {
		src, err := workflows.Source(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			t.Fatal(err)
		}
		calls := 0
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.MappingNode {
				fields := map[string]*yaml.Node{}
				for i := 0; i+1 < len(n.Content); i += 2 {
					fields[n.Content[i].Value] = n.Content[i+1]
				}
				if call, ok := fields["call"]; ok && strings.HasPrefix(call.Value, "http.") {
					calls++
					if got := field(field(fields["args"], "auth"), "type"); got == nil || got.Value != "OIDC" {
						t.Errorf("%s.yaml:%d: %s without auth {type: OIDC}", name, call.Line, call.Value)
					}
				}
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(&doc)
		if calls == 0 {
			t.Errorf("%s.yaml: no HTTP calls found", name)
		}
	}
}

// field returns a mapping's value for key, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
