package cloud

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/extract"
)

// FunctionSourceDir is where Cloud Functions' Go buildpack puts a function's source, under the working
// directory of the running function.
const FunctionSourceDir = "serverless_function_source_code"

// SourceDir returns the directory of the deployed source: FunctionSourceDir when it exists (a deployed
// function), the working directory otherwise.
func SourceDir() string {
	if fi, err := os.Stat(FunctionSourceDir); err == nil && fi.IsDir() {
		return FunctionSourceDir
	}
	return "."
}

// loadConfig reads the file PLTV_CONFIG names (relative to the source directory), which must exist, or
// else the configuration embedded at build time, with the environment's overrides either way.
func loadConfig(opts Options, named string) (config.Config, error) {
	dir := opts.SourceDir
	if dir == "" {
		dir = SourceDir()
	}
	if named != "" {
		if !filepath.IsAbs(named) {
			named = filepath.Join(dir, named)
		}
		return config.Load(named, opts.Lookup)
	}
	if opts.Config == nil {
		return config.Config{}, fmt.Errorf("no configuration: %s is not set and none was embedded at build time", EnvConfig)
	}
	return config.LoadData(filepath.Join(dir, config.DefaultPath), opts.Config, opts.Lookup)
}

// startsTransfers reports whether the function an instance serves (FUNCTION_TARGET; empty: all of them)
// starts transfer runs.
func startsTransfers(target string) bool { return target == "" || target == app.FnExtract }

// noTransfer is the Starter of a function that starts no transfer runs (EXTRACT_TRANSFER_CONFIG unset).
type noTransfer struct{}

var errNoTransfer = errors.New(EnvTransferConfig + " is not set in this function's environment")

func (noTransfer) StartRuns(context.Context, []string) ([]extract.Run, error) {
	return nil, errNoTransfer
}

// FunctionRuntime is the Cloud Functions runtime the functions are deployed on: Go 1.26, the go directive of
// go.mod, which the runtime's toolchain must be able to build.
const FunctionRuntime = "go126"
