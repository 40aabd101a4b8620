package duckdb

import (
	"context"
	"database/sql"
	"strings"
)

// readCatalog reads the tables, views and shards of the database.
func readCatalog(ctx context.Context, c *sql.Conn) (map[string]*datasetCatalog, error) {
	out := map[string]*datasetCatalog{}
	ds := func(name string) *datasetCatalog {
		key := strings.ToLower(name)
		d := out[key]
		if d == nil {
			d = &datasetCatalog{name: name, entries: map[string]*entry{}, families: map[string]*family{}, orphans: map[string]bool{}}
			out[key] = d
		}
		return d
	}
	rows, err := c.QueryContext(ctx, `SELECT schema_name FROM duckdb_schemas()
		WHERE database_name = current_database() AND NOT internal AND schema_name <> '`+jobSchema+`'`)
	if err != nil {
		return nil, err
	}
	err = scanRows(rows, func() error {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		ds(name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = c.QueryContext(ctx, `SELECT schema_name, table_name, column_name, data_type, is_nullable FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name <> '`+jobSchema+`'
			AND table_oid IN (SELECT table_oid FROM duckdb_tables() WHERE database_name = current_database())
		ORDER BY schema_name, table_name, column_index`)
	if err != nil {
		return nil, err
	}
	var last *entry
	err = scanRows(rows, func() error {
		var schema, table string
		var col column
		var nullable bool
		if err := rows.Scan(&schema, &table, &col.Name, &col.Type, &nullable); err != nil {
			return err
		}
		col.NotNull = !nullable
		if last == nil || last.dataset != schema || last.name != table {
			last = &entry{dataset: schema, name: table, kind: plainTable, rows: -1}
			ds(schema).entries[strings.ToLower(table)] = last
		}
		last.columns = append(last.columns, col)
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = c.QueryContext(ctx, `SELECT schema_name, view_name FROM duckdb_views()
		WHERE database_name = current_database() AND NOT internal AND schema_name <> '`+jobSchema+`'`)
	if err != nil {
		return nil, err
	}
	err = scanRows(rows, func() error {
		var schema, view string
		if err := rows.Scan(&schema, &view); err != nil {
			return err
		}
		ds(schema).entries[strings.ToLower(view)] = &entry{dataset: schema, name: view, kind: userView, rows: -1}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = c.QueryContext(ctx, `SELECT dataset, family, shard FROM `+registry+` ORDER BY ALL`)
	if err != nil {
		return nil, err
	}
	// A shard whose view or family's table is missing (the file was changed by other means) is left out; the
	// rows of a shard without its view are deleted when the shard is written again.
	return out, scanRows(rows, func() error {
		var dataset, name, shard string
		if err := rows.Scan(&dataset, &name, &shard); err != nil {
			return err
		}
		d := ds(dataset)
		fk := strings.ToLower(name)
		f := d.families[fk]
		if f == nil {
			table := d.entries[strings.ToLower(familyTable(name))]
			if table == nil || len(table.columns) < 2 || table.columns[0].Name != shardColumn {
				return nil
			}
			delete(d.entries, strings.ToLower(familyTable(name)))
			f = &family{name: name, columns: table.columns[1:], shards: map[string]bool{}}
			d.families[fk] = f
		}
		v := d.entries[strings.ToLower(name+"_"+shard)]
		if v == nil || v.kind != userView {
			d.orphans[strings.ToLower(name+"_"+shard)] = true
			return nil
		}
		f.shards[shard] = true
		v.kind, v.family, v.shard, v.columns = shardView, f.name, shard, f.columns
		return nil
	})
}

// scanRows calls fn for each row and closes rows.
func scanRows(rows *sql.Rows, fn func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}
