package local_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/model/local"
)

func TestFileRoundTrip(t *testing.T) {
	want := testFile("ltv-20110228-0a1b2c3d")
	want.Metrics = json.RawMessage(`{"train":{"rows":812}}`)
	path := filepath.Join(t.TempDir(), "models", want.Name+".json")
	if err := want.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := local.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// The metrics are kept as JSON, indented in the file.
	compact := cmp.Transformer("compact", func(m json.RawMessage) string {
		var b bytes.Buffer
		if err := json.Compact(&b, m); err != nil {
			return "invalid JSON: " + err.Error()
		}
		return b.String()
	})
	if diff := cmp.Diff(want, got, compact); diff != "" {
		t.Errorf("Load(Save(f)) (-want +got):\n%s", diff)
	}
}

func TestLoadRefuses(t *testing.T) {
	good, err := json.Marshal(testFile("m"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(fn func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		fn(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct {
		name       string
		content    string
		isVersion  bool
		wantInText string
	}{
		{"a newer version", edit(func(m map[string]any) { m["format_version"] = 2; m["coefficients"] = "elsewhere" }), true,
			"unknown model file format version 2: this pltv reads version 1"},
		{"no version", edit(func(m map[string]any) { delete(m, "format_version") }), true, "no format_version"},
		{"a version of the wrong type", `{"format_version": "1"}`, false, "not a model file"},
		{"not JSON", "weights: 1 2 3", false, "not a model file"},
		{"an unknown kind", edit(func(m map[string]any) { m["kind"] = "forest" }), false, `unknown kind "forest"`},
		{"weights missing", edit(func(m map[string]any) { m["return"] = map[string]any{"intercept": 1, "weights": []float64{1}} }), false,
			"return has 1 weights for 7 columns"},
		{"columns out of step", edit(func(m map[string]any) { m["columns"] = []string{"a", "b", "c", "d", "e", "f", "g"} }), false,
			"do not match the features' encodings"},
		{"no smearing", edit(func(m map[string]any) { m["value"].(map[string]any)["smearing"] = 0 }), false, "value smearing 0"},
		{"a zero scale", edit(func(m map[string]any) { m["features"].([]any)[0].(map[string]any)["scale"] = 0 }), false,
			"feature basket_value: centre 5 and scale 0"},
		{"an unknown transform", edit(func(m map[string]any) { m["features"].([]any)[0].(map[string]any)["transform"] = "sqrt" }), false,
			`unknown transform "sqrt"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.json")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := local.Load(path)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if got := errors.Is(err, local.ErrFormatVersion); got != tt.isVersion {
				t.Errorf("errors.Is(%v, ErrFormatVersion) = %v, want %v", err, got, tt.isVersion)
			}
			if !strings.Contains(err.Error(), tt.wantInText) || !strings.Contains(err.Error(), path) {
				t.Errorf("Load error %q, want it to name the file and say %q", err, tt.wantInText)
			}
		})
	}
}

func TestSaveRefusesABrokenModel(t *testing.T) {
	f := testFile("m")
	f.Value.Weights = f.Value.Weights[:2]
	path := filepath.Join(t.TempDir(), "m.json")
	if err := f.Save(path); err == nil {
		t.Fatal("Save of a model with missing weights succeeded")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Save left a file behind: %v", err)
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		name, model string
		want        string // empty: refused
	}{
		{"a trained model", "ltv-20110228-0a1b2c3d", "models/ltv-20110228-0a1b2c3d.json"},
		{"the baseline", "baseline", "models/baseline.json"},
		{"a parent directory", "../etc/passwd", ""},
		{"a hidden file", ".ltv", ""},
		{"a separator", "a/b", ""},
		{"empty", "", ""},
		{"a space", "my model", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := local.Path("models", tt.model)
			if tt.want == "" {
				if err == nil {
					t.Errorf("Path(%q) = %q, want an error", tt.model, got)
				}
				return
			}
			if err != nil || got != filepath.FromSlash(tt.want) {
				t.Errorf("Path(%q) = %q, %v; want %q", tt.model, got, err, tt.want)
			}
		})
	}
}

// FuzzPath checks that a model name from the metadata table never leads out of the models directory.
func FuzzPath(f *testing.F) {
	for _, s := range []string{"baseline", "ltv-20110228-0a1b2c3d", "..", "a/../../b", "x.json", "C:\\x", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p, err := local.Path("models", name)
		if err != nil {
			return
		}
		if filepath.Dir(p) != "models" || filepath.Base(p) != name+".json" {
			t.Errorf("Path(%q) = %q, outside the models directory", name, p)
		}
	})
}
