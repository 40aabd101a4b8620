package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb/internal/googlesql"
)

// expandWildcards replaces the wildcard tables of the statements by the union of the tables they match, each
// with its _TABLE_SUFFIX: one scan of its family's table for the shards of a family, and the tables of their
// own. The filters of the query on _TABLE_SUFFIX that only use constants and parameters are evaluated first,
// so that only the matching tables, and the matching shards of a family, are read. The filters stay in the
// query: pruning never changes a result.
func (w *Warehouse) expandWildcards(ctx context.Context, c *sql.Conn, tr *googlesql.Result, p params) error {
	if len(tr.Wildcards) == 0 {
		return nil
	}
	if err := w.cat.ensure(ctx, c); err != nil {
		return err
	}
	for _, wc := range tr.Wildcards {
		union, err := w.wildcardUnion(ctx, c, wc, p)
		if err != nil {
			return err
		}
		for i := range tr.Statements {
			tr.Statements[i].SQL = strings.Replace(tr.Statements[i].SQL, wc.Marker, union, 1)
		}
	}
	return nil
}

func (w *Warehouse) wildcardUnion(ctx context.Context, c *sql.Conn, wc googlesql.Wildcard, p params) (string, error) {
	name := warehouse.Ref{Project: wc.Project, Dataset: wc.Dataset, Table: wc.Prefix + "*"}.String()
	matches := w.cat.list(wc.Dataset, wc.Prefix, plainTable, shardView)
	if len(matches) == 0 {
		return "", notFound(name + " (no table matches)")
	}
	suffixes := make([]string, len(matches))
	for i, e := range matches {
		suffixes[i] = strings.TrimPrefix(e.name, wc.Prefix)
	}
	kept := map[string]bool{}
	for _, s := range suffixes {
		kept[s] = true
	}
	for _, f := range wc.Filters {
		k, err := pruneSuffixes(ctx, c, suffixes, wc.Alias, f, p)
		if err != nil {
			w.log.Debug("wildcard filter not used for pruning", "table", name, "filter", f, "err", err)
			continue
		}
		suffixes = k
	}
	keep := map[string]bool{}
	for _, s := range suffixes {
		keep[s] = true
	}
	var parts []string
	groups := map[string]*shardGroup{}
	var order []*shardGroup
	for _, e := range matches {
		suffix := strings.TrimPrefix(e.name, wc.Prefix)
		if !keep[suffix] {
			continue
		}
		if e.kind == plainTable {
			parts = append(parts, "SELECT *, "+sqlString(suffix)+" AS _TABLE_SUFFIX FROM "+quote(e.dataset)+"."+quote(e.name))
			continue
		}
		head := e.name[:len(e.name)-len(e.shard)]
		key := strings.ToLower(e.family) + "\x00" + head
		g := groups[key]
		if g == nil {
			g = &shardGroup{entry: e, head: head, kept: map[string]bool{}}
			groups[key] = g
			order = append(order, g)
		}
		g.kept[e.shard] = true
	}
	for _, g := range order {
		f, _ := w.cat.family(g.entry.dataset, g.entry.family)
		parts = append(parts, g.scan(f, wc.Prefix))
	}
	if len(parts) == 0 {
		last := matches[len(matches)-1]
		return "(SELECT *, CAST(NULL AS VARCHAR) AS _TABLE_SUFFIX FROM " + quote(last.dataset) + "." + quote(last.name) +
			" WHERE false)", nil
	}
	return "(" + strings.Join(parts, " UNION ALL BY NAME ") + ")", nil
}

// shardGroup is the shards of one family that a wildcard table reads.
type shardGroup struct {
	entry entry  // one of them
	head  string // their name before the date: name_
	kept  map[string]bool
}

// scan returns the query reading the group's shards from their family's table, with their _TABLE_SUFFIX.
// The shards are selected by ranges of _shard, which DuckDB prunes with its zone maps.
func (g *shardGroup) scan(f family, prefix string) string {
	cols := make([]string, 0, len(f.columns)+1)
	for _, col := range f.columns {
		cols = append(cols, quote(col.Name))
	}
	suffix := shardColumn
	switch {
	case len(prefix) < len(g.head):
		suffix = sqlString(g.head[len(prefix):]) + " || " + shardColumn
	case len(prefix) > len(g.head):
		suffix = fmt.Sprintf("substr(%s, %d)", shardColumn, len(prefix)-len(g.head)+1)
	}
	cols = append(cols, suffix+" AS _TABLE_SUFFIX")
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + quote(g.entry.dataset) + "." + quote(familyTable(f.name))
	all := make([]string, 0, len(f.shards))
	for s := range f.shards {
		all = append(all, s)
	}
	sort.Strings(all)
	var ranges []string
	for i := 0; i < len(all); i++ {
		if !g.kept[all[i]] {
			continue
		}
		j := i
		for j+1 < len(all) && g.kept[all[j+1]] {
			j++
		}
		switch {
		case i == 0 && j == len(all)-1:
			return q // every shard of the family
		case i == j:
			ranges = append(ranges, shardColumn+" = "+sqlString(all[i]))
		default:
			ranges = append(ranges, shardColumn+" BETWEEN "+sqlString(all[i])+" AND "+sqlString(all[j]))
		}
		i = j
	}
	return q + " WHERE " + strings.Join(ranges, " OR ")
}

var paramRE = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)`)

// pruneSuffixes keeps the suffixes for which the filter holds. The filter fails to bind when it refers to
// anything but _TABLE_SUFFIX, constants and parameters; the caller then does not prune with it.
func pruneSuffixes(ctx context.Context, c *sql.Conn, suffixes []string, alias, filter string, p params) ([]string, error) {
	if alias == "" {
		alias = "pltv_wildcard"
	}
	q := "SELECT _TABLE_SUFFIX FROM (SELECT unnest(CAST($pltv_suffixes AS VARCHAR[])) AS _TABLE_SUFFIX) AS " +
		quote(alias) + " WHERE " + filter
	var names []string
	for _, m := range paramRE.FindAllStringSubmatch(filter, -1) {
		if _, ok := p.values[m[1]]; ok && !contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	rows, err := c.QueryContext(ctx, q, append(p.args(names), sql.Named("pltv_suffixes", suffixes))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var kept []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		kept = append(kept, s)
	}
	return kept, rows.Err()
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// sqlString writes a DuckDB string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
