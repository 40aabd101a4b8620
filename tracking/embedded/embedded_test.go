package embedded_test

import (
	"path/filepath"
	"testing"

	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/embedded"
	"github.com/pltv/pltv/tracking/trackingtest"
)

func memory(testing.TB) tracking.Store { return embedded.NewMemory() }

// file opens a fresh tracking file, which fsyncs every commit as in production.
func file(t testing.TB) tracking.Store {
	s, err := embedded.Open(filepath.Join(t.TempDir(), embedded.FileName), embedded.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformanceMemory(t *testing.T) { trackingtest.Run(t, memory) }

func TestConformanceFile(t *testing.T) { trackingtest.Run(t, file) }

func BenchmarkQueueMemory(b *testing.B) { trackingtest.Benchmark(b, memory) }

func BenchmarkQueueFile(b *testing.B) { trackingtest.Benchmark(b, file) }
