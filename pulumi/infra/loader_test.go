package infra_test

import (
	"github.com/pltv/pltv/services/app/cloud"
)

// functionConfig checks a function's environment as the services' cloud wiring does at a cold start: the
// pltv.yaml embedded from the source archive, the environment over it, and FUNCTION_TARGET, which Cloud
// Functions sets to the entry point.
func functionConfig(embedded []byte, sourceDir, name string, env map[string]string) error {
	lookup := func(k string) (string, bool) {
		if k == cloud.EnvFunctionTarget {
			return name, true
		}
		v, ok := env[k]
		return v, ok
	}
	_, err := cloud.Check(cloud.Options{Config: embedded, SourceDir: sourceDir, Lookup: lookup})
	return err
}
