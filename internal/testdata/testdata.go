// Package testdata finds the shared data sets the tests and benchmarks read: the Online Retail day files and
// Google's event bodies, which live beside the repository in ../shared and are never copied into it.
package testdata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the repository's root directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Shared returns the path of a file or directory under ../shared. When it is missing the test is skipped, or
// fails when PLTV_REQUIRE_DATA=1 (as in CI).
func Shared(tb testing.TB, elem ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{Root(), "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("PLTV_REQUIRE_DATA") == "1" {
			tb.Fatalf("shared data %s: %v (PLTV_REQUIRE_DATA=1)", p, err)
		}
		tb.Skipf("shared data %s not found: %v", p, err)
	}
	return p
}

// OnlineRetail returns the directory of the Online Retail day files.
func OnlineRetail(tb testing.TB) string {
	tb.Helper()
	return Shared(tb, "data", "online-retail", "by-day")
}
