package embedded_test

import (
	"path/filepath"
	"testing"

	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/embedded"
	"github.com/pltv/pltv/tracking/trackingtest"
)

func TestConformanceMemory(t *testing.T) {
	trackingtest.Run(t, func(t *testing.T) tracking.Store { return embedded.NewMemory() })
}

func TestConformanceFile(t *testing.T) {
	trackingtest.Run(t, func(t *testing.T) tracking.Store {
		s, err := embedded.Open(filepath.Join(t.TempDir(), embedded.FileName), embedded.Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}
