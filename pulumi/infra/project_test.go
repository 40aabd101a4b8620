package infra_test

import (
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestProjectFile checks Pulumi.yaml: a Go program, in pulumi/, named like the stack config's namespace.
func TestProjectFile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var p struct{ Name, Runtime, Main string }
	if err := yaml.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Name != "pltv" || p.Runtime != "go" || p.Main != "pulumi/" {
		t.Errorf("Pulumi.yaml: %+v", p)
	}
	if _, err := os.Stat(filepath.Join("..", "main.go")); err != nil {
		t.Errorf("the program Pulumi.yaml names: %v", err)
	}
}
