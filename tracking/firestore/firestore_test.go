package firestore_test

import (
	"context"
	"os"
	"sync"
	"testing"

	fs "cloud.google.com/go/firestore"

	"github.com/pltv/pltv/internal/emulator"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/firestore"
	"github.com/pltv/pltv/tracking/trackingtest"
)

func TestMain(m *testing.M) { os.Exit(emulator.Main(m)) }

// project is the emulator's project; any id works there.
const project = "pltv-test"

var shared struct {
	once   sync.Once
	client *fs.Client
	err    error
}

// client returns the package's one client of the shared emulator.
func client(t testing.TB) *fs.Client {
	t.Helper()
	emulator.Require(t, emulator.Firestore)
	shared.once.Do(func() {
		shared.client, shared.err = fs.NewClient(context.Background(), project)
	})
	if shared.err != nil {
		t.Fatalf("firestore client: %v", shared.err)
	}
	return shared.client
}

func TestConformance(t *testing.T) {
	c := client(t)
	trackingtest.Run(t, func(testing.TB) tracking.Store { return firestore.New(c) })
}

func BenchmarkQueue(b *testing.B) {
	c := client(b)
	trackingtest.Benchmark(b, func(testing.TB) tracking.Store { return firestore.New(c) })
}

func TestOpenOwnsClient(t *testing.T) {
	client(t) // the emulator
	s, err := firestore.Open(context.Background(), project, "")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	ctx := context.Background()
	if _, err := s.Collections(ctx, "none_"); err != nil {
		t.Errorf("Collections: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := s.Collections(ctx, "none_"); err == nil {
		t.Error("Collections after Close: no error")
	}
}
