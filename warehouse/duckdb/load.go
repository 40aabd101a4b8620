package duckdb

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// Load loads CSV data into a table with the given schema, as a BigQuery load job does: the first
// SkipLeadingRows rows are skipped, fields may be quoted, an empty field is NULL. A malformed row (a wrong
// number of fields, a value not of its column's type, a NULL in a REQUIRED column) fails the job naming the
// source and the line, and nothing of the source is loaded. WriteTruncate (the default) replaces the table,
// WriteAppend adds to it, WriteEmpty fills it only when it is empty or missing.
//
// The rows are checked in Go (exact lines in errors, BigQuery's rules for values) and written to a temporary
// file in a canonical form that DuckDB's CSV reader then loads in bulk.
func (w *Warehouse) Load(ctx context.Context, job warehouse.LoadJob) (warehouse.JobResult, error) {
	src := job.SourceName
	if src == "" {
		src = "source"
	}
	path, perr := canonicalCSV(job.Source, job.Schema, job.SkipLeadingRows)
	if path != "" {
		defer os.Remove(path)
	}
	cols, cerr := columnsOf(job.Schema)
	var staged result
	stage := func(c *sql.Conn) (result, error) {
		if perr != nil || cerr != nil {
			return result{}, errors.Join(perr, cerr)
		}
		var err error
		staged, err = w.stageResult(ctx, c, "SELECT * FROM "+readCSVSQL(path, job.Schema), cols)
		return staged, err
	}
	key := []string{string(job.Write), fmt.Sprint(job.Schema, job.SkipLeadingRows), attemptDigest(ctx, path)}
	res, err := w.runStagedJob(ctx, "load", job.Destination, job.Labels, key, true, stage, func(t *jobTx) (int64, error) {
		c := t.Conn
		existing, err := w.rowCount(ctx, c, job.Destination)
		if err != nil {
			return 0, err
		}
		if err := checkWrite(job.Write, job.Destination, existing); err != nil {
			return 0, err
		}
		replace := job.Write != warehouse.WriteAppend || existing < 0
		pl := w.place(job.Destination, cols, staged.rows, replace)
		if err := w.ensureDataset(ctx, c, job.Destination.Dataset); err != nil {
			return 0, err
		}
		if replace {
			if err := w.makeRoom(ctx, c, pl); err != nil {
				return 0, err
			}
		}
		var rows int64
		if pl.inFamily() {
			names := make([]string, len(job.Schema))
			for i, f := range job.Schema {
				names[i] = quote(f.Name)
			}
			rows, err = execCount(ctx, c, "INSERT INTO "+pl.familySQL()+" ("+shardColumn+", "+strings.Join(names, ", ")+") SELECT "+
				sqlString(pl.shard)+", * FROM "+staged.table)
		} else {
			if err := createTable(ctx, c, job.Destination, job.Schema, replace); err != nil {
				return 0, err
			}
			rows, err = execCount(ctx, c, "INSERT INTO "+tableSQL(job.Destination)+" SELECT * FROM "+staged.table)
		}
		if err != nil {
			return 0, err
		}
		if !replace {
			rows += existing
		}
		t.afterCommit(func() { w.record(pl, rows) })
		return rows, nil
	})
	if err != nil {
		return res, fmt.Errorf("load %s into %s: %w", src, job.Destination, err)
	}
	return res, nil
}

// canonicalCSV checks the CSV rows against the schema and writes them to a temporary file in the form
// readCSVSQL reads. It returns the file's path, which the caller removes.
func canonicalCSV(r io.Reader, schema warehouse.Schema, skip int) (string, error) {
	f, err := os.CreateTemp("", "pltv-load-*.csv")
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = readCSV(r, schema, skip, func(row warehouse.Row) error { return writeCanonical(bw, row) })
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), err
}

// readCSVSQL reads a canonical CSV file with DuckDB's reader: no header, every field typed, NULL as an
// empty unquoted field. Files of a few megabytes load faster on one thread: parallel is for larger ones.
func readCSVSQL(path string, schema warehouse.Schema) string {
	parallel := false
	if st, err := os.Stat(path); err == nil && st.Size() > 16<<20 {
		parallel = true
	}
	cols := make([]string, len(schema))
	for i, f := range schema {
		t, _ := columnType(warehouse.Field{Name: f.Name, Type: f.Type})
		cols[i] = sqlString(f.Name) + ": " + sqlString(t)
	}
	return "read_csv(" + sqlString(path) + ", columns = {" + strings.Join(cols, ", ") + "}, header = false, " +
		"delim = ',', quote = '\"', escape = '\"', nullstr = '', allow_quoted_nulls = false, auto_detect = false, " +
		"strict_mode = true, parallel = " + strconv.FormatBool(parallel) + ")"
}

// readCSV parses CSV records into rows of the schema and hands them to add.
func readCSV(r io.Reader, schema warehouse.Schema, skip int, add func(warehouse.Row) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(schema)
	cr.ReuseRecord = true
	parsers := make([]fieldParser, len(schema))
	for i, f := range schema {
		p, err := parserFor(f)
		if err != nil {
			return err
		}
		parsers[i] = p
	}
	row := make(warehouse.Row, len(schema))
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("line %d: %w", pe.StartLine, pe.Err)
			}
			return err
		}
		if n < skip {
			continue
		}
		for i, field := range rec {
			v, err := parsers[i](field)
			if err != nil {
				line, _ := cr.FieldPos(i)
				return fmt.Errorf("line %d: column %s: %w", line, schema[i].Name, err)
			}
			row[i] = v
		}
		if err := add(row); err != nil {
			line, _ := cr.FieldPos(0)
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}
