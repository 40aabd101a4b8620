package hooks

import (
	"fmt"
	"strings"
	"text/template"
)

// funcs are the template helpers:
//
//	{{source}}                 the source table: `p.d.transactions_*` when sharded, `p.d.transactions` otherwise
//	{{ltv "metadata"}}         a table of the LTV dataset: `p.d.metadata`
//	{{shard "name" .Date}}     a date shard of the LTV dataset: `p.d.name_20110104`
//	{{wildcard "name"}}        every shard of the LTV dataset: `p.d.name_*` (filter on _TABLE_SUFFIX)
//	{{var "NAME"}}             a CUSTOM_VARIABLES value; an unknown name is an error
//	{{quote .Date}}            a GoogleSQL string literal
func (s *SQL) funcs(custom map[string]string) template.FuncMap {
	t := s.tables
	return template.FuncMap{
		"source": func() string {
			if t.SourceSharded {
				return t.Source.Table(t.SourceTable + "_*").SQL()
			}
			return t.Source.Table(t.SourceTable).SQL()
		},
		"ltv": func(name string) string { return t.LTV.Table(name).SQL() },
		"shard": func(name, date string) (string, error) {
			if !isDate(date) {
				return "", fmt.Errorf("shard %q: date %q is not YYYYMMDD", name, date)
			}
			return t.LTV.Shard(name, date).SQL(), nil
		},
		"wildcard": func(name string) string { return t.LTV.Table(name + "_*").SQL() },
		"var": func(name string) (string, error) {
			v, ok := custom[name]
			if !ok {
				return "", fmt.Errorf("unknown custom variable %q (set it under CUSTOM_VARIABLES)", name)
			}
			return v, nil
		},
		"quote": func(s string) string { return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'" },
	}
}

func isDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
