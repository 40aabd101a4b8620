package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
)

// TestSettingsDocUpToDate fails when config/SETTINGS.md and the settings table disagree.
func TestSettingsDocUpToDate(t *testing.T) {
	path := filepath.Join("..", "..", "SETTINGS.md")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v (run go generate ./config)", path, err)
	}
	want := markdown(config.Settings())
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s is out of date; run go generate ./config (-want +got):\n%s", path, diff)
	}
}

// TestReadmeSettingsUpToDate fails when the README's table of settings and the settings table disagree.
func TestReadmeSettingsUpToDate(t *testing.T) {
	path := filepath.Join("..", "..", "..", "README.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := splice(doc, tables(config.Settings(), "###"))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if diff := cmp.Diff(string(want), string(doc)); diff != "" {
		t.Errorf("%s is out of date; run go generate ./config (-want +got):\n%s", path, diff)
	}
}

func TestMarkdownListsEverySetting(t *testing.T) {
	doc := string(markdown(config.Settings()))
	for _, s := range config.Settings() {
		if !strings.Contains(doc, "| `"+s.Key+"` |") {
			t.Errorf("SETTINGS.md has no row for %s", s.Key)
		}
	}
}

func TestCellEscapes(t *testing.T) {
	if diff := cmp.Diff(`a \| b c &lt;table&gt;`, cell("a | b\nc <table>")); diff != "" {
		t.Errorf("cell (-want +got):\n%s", diff)
	}
}
