package emulator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
)

// RequireEnv makes an emulator that cannot start a test failure rather than a skip when set to 1.
const RequireEnv = "PLTV_REQUIRE_EMULATORS"

// shared are the emulators of this test binary, started on first use.
var shared struct {
	mu      sync.Mutex
	inMain  bool // Main runs the tests, so it will stop what Require starts
	started map[string]*sharedEmulator
}

type sharedEmulator struct {
	once sync.Once
	emu  *Emulator // nil when the host came from the environment
	host string
	err  error
}

// Main runs a package's tests and then stops the emulators they started. Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(emulator.Main(m)) }
func Main(m *testing.M) int {
	shared.mu.Lock()
	shared.inMain = true
	shared.mu.Unlock()
	code := m.Run()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	shared.inMain = false
	for _, s := range shared.started {
		if s.emu != nil {
			s.emu.Stop()
		}
	}
	shared.started = nil
	return code
}

// Require returns the host:port of the package's emulator of kind k, starting it on first use unless its
// environment variable is set, and sets that variable for the client libraries. When the emulator is not
// available it skips t with the reason, or fails t when PLTV_REQUIRE_EMULATORS=1.
func Require(t testing.TB, k Kind) string {
	t.Helper()
	host, err := get(k)
	switch {
	case err == nil:
		return host
	case errors.Is(err, errNoMain):
		t.Fatalf("%s emulator: %v", k.Name, err)
	case os.Getenv(RequireEnv) == "1":
		t.Fatalf("%s emulator required (%s=1) but unavailable: %v", k.Name, RequireEnv, err)
	default:
		t.Skipf("%s emulator unavailable, skipping: %v", k.Name, err)
	}
	return ""
}

// errNoMain means a test asked for an emulator that nothing would stop.
var errNoMain = errors.New("the package's TestMain must run its tests through emulator.Main")

func get(k Kind) (string, error) {
	shared.mu.Lock()
	if !shared.inMain {
		shared.mu.Unlock()
		return "", errNoMain
	}
	if shared.started == nil {
		shared.started = map[string]*sharedEmulator{}
	}
	s := shared.started[k.Name]
	if s == nil {
		s = &sharedEmulator{}
		shared.started[k.Name] = s
	}
	shared.mu.Unlock()
	s.once.Do(func() {
		if host := os.Getenv(k.EnvVar); host != "" {
			s.host = host
			return
		}
		s.emu, s.err = Start(context.Background(), k)
		if s.err != nil {
			return
		}
		s.host = s.emu.Host
		if err := os.Setenv(k.EnvVar, s.host); err != nil {
			s.err = fmt.Errorf("set %s: %w", k.EnvVar, err)
		}
	})
	return s.host, s.err
}
