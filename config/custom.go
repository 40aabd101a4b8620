package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"go.yaml.in/yaml/v3"
)

// customKind is CUSTOM_VARIABLES: a free map of string to string that hooks read. Entries from the
// environment (CUSTOM_VARIABLES as YAML, then CUSTOM_VARIABLES_<NAME>) are merged into the file's.
type customKind struct{}

func (customKind) decode(d *decoder, key string, n *yaml.Node) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.fail(key, n, "want a mapping of NAME: value, got %s", describe(n))
		return
	}
	vars := map[string]string{}
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		sub := key + "." + k.Value
		if line, dup := lines[k.Value]; dup {
			d.fail(sub, k, "duplicate variable, first set at line %d", line)
			continue
		}
		lines[k.Value] = k.Line
		if isNull(v) {
			vars[k.Value] = ""
			d.set(sub, k)
			continue
		}
		if s, ok := d.scalar(sub, v, "a string"); ok {
			vars[k.Value] = s
			d.set(sub, k)
		}
	}
	if d.cfg.CustomVariables == nil {
		d.cfg.CustomVariables = map[string]string{}
	}
	maps.Copy(d.cfg.CustomVariables, vars)
	d.set(key, n)
}

// customNameRE is a name that CUSTOM_VARIABLES_<NAME> can override and a template can spell.
var customNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (customKind) check(c *Config, key string, report func(key, reason string)) {
	for _, name := range slices.Sorted(maps.Keys(c.CustomVariables)) {
		if !customNameRE.MatchString(name) {
			report(key+"."+name, fmt.Sprintf("%q is not a variable name: want letters, digits and '_', not starting "+
				"with a digit, so that the environment variable %s_<NAME> can override it", name, key))
		}
	}
}

func (customKind) collection() bool { return true }
