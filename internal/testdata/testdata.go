// Package testdata finds the data sets the tests and benchmarks read: the Online Retail day files the
// repository ships (internal/onlineretail), unpacked once into the user's cache directory.
package testdata

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/pltv/pltv/internal/onlineretail"
)

// Root returns the repository's root directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// OnlineRetail returns the directory of the Online Retail day files (YYYY-MM-DD.csv).
func OnlineRetail(tb testing.TB) string {
	tb.Helper()
	dir, err := onlineretail.Dir()
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// OnlineRetailDay returns the path of one day's file, day as YYYY-MM-DD.
func OnlineRetailDay(tb testing.TB, day string) string {
	tb.Helper()
	return filepath.Join(OnlineRetail(tb), day+".csv")
}
