package config

import (
	"fmt"
	"regexp"

	"go.yaml.in/yaml/v3"

	"github.com/pltv/pltv/warehouse"
)

// extraDataKind is EXTRA_DATA: a list of {table, csv, schema}.
type extraDataKind struct{}

var extraDataFields = []string{"table", "csv", "schema"}

func (extraDataKind) decode(d *decoder, key string, n *yaml.Node) {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		d.fail(key, n, "want a list of {table, csv, schema}, got %s", describe(n))
		return
	}
	var list []ExtraData
	ok := true
	for i, item := range n.Content {
		e, itemOK := decodeExtraData(d, fmt.Sprintf("%s[%d]", key, i), item)
		list = append(list, e)
		ok = ok && itemOK
	}
	if ok {
		d.cfg.ExtraData = list
		d.set(key, n)
	}
}

func decodeExtraData(d *decoder, key string, n *yaml.Node) (ExtraData, bool) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.fail(key, n, "want a mapping with table, csv and schema, got %s", describe(n))
		return ExtraData{}, false
	}
	var e ExtraData
	ok := true
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		sub := key + "." + k.Value
		if seen[k.Value] {
			d.fail(sub, k, "duplicate field")
			ok = false
			continue
		}
		seen[k.Value] = true
		s, isScalar := d.scalar(sub, v, "a string")
		if !isScalar {
			ok = false
			continue
		}
		switch k.Value {
		case "table":
			e.Table = s
		case "csv":
			e.CSV = d.path(s)
		case "schema":
			schema, err := warehouse.ParseSchema(s)
			if err != nil {
				d.fail(sub, v, "%v", err)
				ok = false
				continue
			}
			e.Schema = schema
		default:
			d.fail(sub, k, "unknown field%s", suggest(k.Value, extraDataFields, "; the fields are table, csv and schema"))
			ok = false
			continue
		}
		d.set(sub, v)
	}
	for _, f := range extraDataFields {
		if !seen[f] {
			d.fail(key, n, "missing %s", f)
			ok = false
		}
	}
	d.set(key, n)
	return e, ok
}

// tableRE is a table name that stays valid with a _YYYYMMDD suffix in BigQuery and DuckDB.
var tableRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (extraDataKind) check(c *Config, key string, report func(key, reason string)) {
	first := map[string]int{}
	for i, e := range c.ExtraData {
		item := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case !tableRE.MatchString(e.Table):
			report(item+".table", fmt.Sprintf("%q is not a table name: want letters, digits and '_', not starting with a digit", e.Table))
		case len(e.Table) > 1024-len("_YYYYMMDD"):
			report(item+".table", fmt.Sprintf("%q is too long: at most %d characters leave room for the _YYYYMMDD shard", e.Table, 1024-len("_YYYYMMDD")))
		}
		if j, dup := first[e.Table]; dup {
			report(item+".table", fmt.Sprintf("table %q is already loaded by %s[%d]", e.Table, key, j))
		} else {
			first[e.Table] = i
		}
		if e.CSV == "" {
			report(item+".csv", "empty path")
		} else if r := checkPath(e.CSV, false); r != "" {
			report(item+".csv", r)
		}
		if len(e.Schema) == 0 {
			report(item+".schema", "empty schema")
		}
	}
}

func (extraDataKind) collection() bool { return true }
