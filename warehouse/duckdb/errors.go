package duckdb

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb/internal/googlesql"
)

var (
	lineRE          = regexp.MustCompile(`\nLINE (\d+):`)
	missingTableRE  = regexp.MustCompile(`Table with name "?([^" ]+?)"? does not exist`)
	missingSchemaRE = regexp.MustCompile(`Schema with name "?([^" ]+?)"? does not exist`)
)

// notFound is the error for a missing table.
func notFound(table string) error {
	return fmt.Errorf("%w: table %s", warehouse.ErrNotFound, table)
}

// sqlError turns an error of DuckDB about SQL translated from tr into the warehouse's errors: a missing table
// wraps warehouse.ErrNotFound and names the table as the SQL did; anything else is a *warehouse.SQLError with
// the line of the GoogleSQL (the translation keeps lines).
func sqlError(err error, tr *googlesql.Result) error {
	var de *duckdb.Error
	if !errors.As(err, &de) {
		return err
	}
	msg := de.Msg
	line := 0
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[:strings.Index(msg, m[0])]
	}
	msg = strings.TrimSpace(msg)
	if de.Type == duckdb.ErrorTypeCatalog {
		if m := missingTableRE.FindStringSubmatch(msg); m != nil {
			dataset, table := "", m[1]
			if i := strings.LastIndexByte(table, '.'); i >= 0 {
				dataset, table = table[:i], table[i+1:]
			}
			return notFound(refName(tr, dataset, table))
		}
		if m := missingSchemaRE.FindStringSubmatch(msg); m != nil {
			return fmt.Errorf("%w: dataset %s", warehouse.ErrNotFound, m[1])
		}
	}
	return &warehouse.SQLError{Line: line, Message: msg}
}

// refName names a table as the SQL wrote it (project.dataset.table) when the translation knows it.
func refName(tr *googlesql.Result, dataset, table string) string {
	if tr != nil {
		for _, t := range tr.Tables {
			if strings.EqualFold(t.Name, table) && (dataset == "" || strings.EqualFold(t.Dataset, dataset)) {
				return warehouse.Ref{Project: t.Project, Dataset: t.Dataset, Table: t.Name}.String()
			}
		}
	}
	if dataset != "" {
		return dataset + "." + table
	}
	return table
}
