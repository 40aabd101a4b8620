package infra_test

import (
	"errors"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/app/cloud"
)

// functionConfig loads a function's configuration as the services' cloud wiring does: the shipped
// pltv.yaml with the function's environment over it, which must be valid, say RUNTIME cloud, and carry
// what the function's own wiring requires.
func functionConfig(file, name string, env map[string]string) error {
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cfg, err := config.Load(file, lookup)
	if err != nil {
		return err
	}
	if !cfg.IsCloud() {
		return errors.New("RUNTIME is not cloud")
	}
	if name == app.FnExtract && env[cloud.EnvTransferConfig] == "" {
		return errors.New(cloud.EnvTransferConfig + " is not set")
	}
	return nil
}
