package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb/internal/googlesql"
)

// expandWildcards replaces the wildcard tables of the statements by the union of the tables they match, each
// with its _TABLE_SUFFIX. The filters of the query on _TABLE_SUFFIX that only use constants and parameters
// are evaluated first, so that only the matching tables are read. The filters stay in the query: pruning
// never changes a result.
func (w *Warehouse) expandWildcards(ctx context.Context, c *sql.Conn, tr *googlesql.Result, p params) error {
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
	tables, err := tableNames(ctx, c, wc.Dataset, wc.Prefix)
	if err != nil {
		return "", fmt.Errorf("wildcard table %s: %w", name, err)
	}
	if len(tables) == 0 {
		return "", notFound(name + " (no table matches)")
	}
	suffixes := make([]string, len(tables))
	for i, t := range tables {
		suffixes[i] = strings.TrimPrefix(t, wc.Prefix)
	}
	for _, f := range wc.Filters {
		kept, err := pruneSuffixes(ctx, c, suffixes, wc.Alias, f, p)
		if err != nil {
			w.log.Debug("wildcard filter not used for pruning", "table", name, "filter", f, "err", err)
			continue
		}
		suffixes = kept
	}
	ref := func(suffix string) string {
		return tableSQL(warehouse.Ref{Dataset: wc.Dataset, Table: wc.Prefix + suffix})
	}
	if len(suffixes) == 0 {
		return "(SELECT *, CAST(NULL AS VARCHAR) AS _TABLE_SUFFIX FROM " + ref(strings.TrimPrefix(tables[len(tables)-1], wc.Prefix)) +
			" WHERE false)", nil
	}
	parts := make([]string, len(suffixes))
	for i, s := range suffixes {
		parts[i] = "SELECT *, " + sqlString(s) + " AS _TABLE_SUFFIX FROM " + ref(s)
	}
	return "(" + strings.Join(parts, " UNION ALL BY NAME ") + ")", nil
}

var paramRE = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)`)

// pruneSuffixes keeps the suffixes for which the filter holds. The filter fails to bind when it refers to
// anything but _TABLE_SUFFIX, constants and parameters; the caller then does not prune with it.
func pruneSuffixes(ctx context.Context, c *sql.Conn, suffixes []string, alias, filter string, p params) ([]string, error) {
	lits := make([]string, len(suffixes))
	for i, s := range suffixes {
		lits[i] = sqlString(s)
	}
	if alias == "" {
		alias = "pltv_wildcard"
	}
	q := "SELECT _TABLE_SUFFIX FROM (SELECT unnest([" + strings.Join(lits, ", ") + "]) AS _TABLE_SUFFIX) AS " +
		quote(alias) + " WHERE " + filter
	var names []string
	for _, m := range paramRE.FindAllStringSubmatch(filter, -1) {
		if _, ok := p.values[m[1]]; ok && !contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	rows, err := c.QueryContext(ctx, q, p.args(names)...)
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

// tableNames lists the tables of a dataset whose name starts with prefix (case-sensitive, as in BigQuery),
// sorted.
func tableNames(ctx context.Context, c *sql.Conn, dataset, prefix string) ([]string, error) {
	rows, err := c.QueryContext(ctx, `SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = ? AND starts_with(table_name, ?)
		ORDER BY table_name`, dataset, prefix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
