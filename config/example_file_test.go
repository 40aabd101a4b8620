package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
)

// examplePath is the example configuration at the repository root.
var examplePath = filepath.Join("..", "pltv.yaml")

func TestExampleFileLoadsAndValidates(t *testing.T) {
	got, err := config.Load(examplePath, nil)
	if err != nil {
		t.Fatalf("Load(%s): %v", examplePath, err)
	}
	if err := got.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	// The example runs the embedded default as it stands: it spells out the defaults.
	if diff := cmp.Diff(config.Default(), got, cmpConfig); diff != "" {
		t.Errorf("%s differs from the defaults (-default +file):\n%s", examplePath, diff)
	}
}

// TestExampleFileShowsEverySetting keeps the example complete: each key appears as a key, set or commented out.
func TestExampleFileShowsEverySetting(t *testing.T) {
	text, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range config.Settings() {
		if !regexp.MustCompile(`(?m)^#? ?` + s.Key + `:`).Match(text) {
			t.Errorf("%s does not show %s", examplePath, s.Key)
		}
	}
}

func TestExampleFileInTheCloud(t *testing.T) {
	lookup := env{"RUNTIME": "cloud", "DEFAULT_GCP_PROJECT": "my-google-project", "BQ_LTV_GCP_PROJECT": "customer-project",
		"MODEL_BACKEND": "vertex", "MODEL_GCP_PROJECT": "my-model-project", "MODEL_ENDPOINT_ID": "123456789"}.lookup
	c, err := config.Load(examplePath, lookup)
	if err != nil {
		t.Fatalf("Load(%s) with cloud settings: %v", examplePath, err)
	}
	if !c.IsCloud() {
		t.Error("IsCloud() = false with RUNTIME=cloud")
	}
}
