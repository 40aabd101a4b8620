package fakebq

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"

	bqapi "google.golang.org/api/bigquery/v2"
)

// runQuery applies a scripted answer to a query job. Only a malformed script is an error of the call;
// everything BigQuery would refuse becomes the job's errorResult.
func (s *Server) runQuery(j *job, a Answer) error {
	q := j.config.Query
	j.pending += a.Polls
	j.statementType = a.StatementType
	if j.statementType == "" {
		j.statementType = "SELECT"
	}
	j.dml = a.DMLAffectedRows
	if q.UseLegacySql == nil || *q.UseLegacySql {
		j.fail(invalidQuery("the fake runs GoogleSQL only: useLegacySql must be false"))
		return nil
	}
	if e := checkParams(q.Query, q.QueryParameters); e != nil {
		j.fail(e)
		return nil
	}
	if a.Error != nil {
		j.fail(a.Error)
		return nil
	}
	schema, err := normalizeSchema(a.Schema)
	if err != nil {
		return fmt.Errorf("scripted answer: %w", err)
	}
	for i, values := range a.Rows {
		r, err := encodeRow(schema, values)
		if err != nil {
			return fmt.Errorf("scripted answer row %d: %w", i, err)
		}
		j.rows = append(j.rows, r)
	}
	j.schema = schema
	if dst := q.DestinationTable; dst != nil {
		if e := s.apply(j, dst, schema, j.rows, q.WriteDisposition, q.CreateDisposition, "WRITE_EMPTY"); e != nil {
			j.fail(e)
		}
	}
	return nil
}

func (s *Server) runCopy(j *job) {
	c := j.config.Copy
	src := c.SourceTable
	if src == nil && len(c.SourceTables) == 1 {
		src = c.SourceTables[0]
	}
	if src == nil || c.DestinationTable == nil {
		j.fail(&bqapi.ErrorProto{Reason: "invalid", Message: "the fake copies one source table to one destination"})
		return
	}
	t, ok := s.tables[refKey(src)]
	if !ok {
		j.fail(&bqapi.ErrorProto{Reason: "notFound",
			Message: fmt.Sprintf("Not found: Table %s was not found in location %s", legacyName(src), j.ref.Location)})
		return
	}
	rows := slices.Clone(t.rows)
	if e := s.apply(j, c.DestinationTable, t.schema, rows, c.WriteDisposition, c.CreateDisposition, "WRITE_EMPTY"); e != nil {
		j.fail(e)
		return
	}
	j.outputRows = int64(len(rows))
}

func (s *Server) runLoad(j *job, media []byte) {
	l := j.config.Load
	if l.DestinationTable == nil {
		j.fail(&bqapi.ErrorProto{Reason: "invalid", Message: "destinationTable is required"})
		return
	}
	if l.SourceFormat != "" && l.SourceFormat != "CSV" && l.SourceFormat != "NEWLINE_DELIMITED_JSON" {
		j.fail(&bqapi.ErrorProto{Reason: "invalid", Message: "the fake loads CSV and NEWLINE_DELIMITED_JSON only, not " + l.SourceFormat})
		return
	}
	schema, err := normalizeSchema(l.Schema)
	if err != nil {
		j.fail(&bqapi.ErrorProto{Reason: "invalid", Message: err.Error()})
		return
	}
	if len(schema.Fields) == 0 {
		t, ok := s.tables[refKey(l.DestinationTable)]
		if !ok || len(t.schema.Fields) == 0 {
			j.fail(&bqapi.ErrorProto{Reason: "invalid", Message: "No schema specified on job or table."})
			return
		}
		schema = t.schema
	}
	if l.SourceFormat == "NEWLINE_DELIMITED_JSON" {
		rows, perr := parseNDJSON(l, schema, media)
		if perr != nil {
			j.fail(&bqapi.ErrorProto{Reason: "invalid", Message: "Error while reading data, error message: " + perr.Error()})
			return
		}
		if e := s.apply(j, l.DestinationTable, schema, rows, l.WriteDisposition, l.CreateDisposition, "WRITE_APPEND"); e != nil {
			j.fail(e)
			return
		}
		j.outputRows = int64(len(rows))
		return
	}
	rows, perr := parseCSV(l, schema, media)
	if perr != nil {
		j.fail(&bqapi.ErrorProto{Reason: "invalid", Message: "Error while reading data, error message: " +
			"CSV processing encountered too many errors, giving up. Rows: " + fmt.Sprint(len(rows)+1) +
			"; errors: 1; max bad: 0; error percent: 0"},
			&bqapi.ErrorProto{Reason: "invalid", Location: "file-00000000", Message: "Error while reading data, error message: " + perr.Error()})
		return
	}
	if e := s.apply(j, l.DestinationTable, schema, rows, l.WriteDisposition, l.CreateDisposition, "WRITE_APPEND"); e != nil {
		j.fail(e)
		return
	}
	j.outputRows = int64(len(rows))
}

// parseCSV reads the uploaded CSV data of a load job; it returns the rows read before the first bad one,
// and for that one an error worded like BigQuery's, which places a row by its byte offset.
func parseCSV(l *bqapi.JobConfigurationLoad, schema *bqapi.TableSchema, data []byte) ([]row, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	if d := []rune(l.FieldDelimiter); len(d) == 1 {
		r.Comma = d[0]
	}
	var rows []row
	for n := int64(0); ; n++ {
		at := r.InputOffset()
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		if n < l.SkipLeadingRows {
			continue
		}
		switch {
		case len(rec) > len(schema.Fields):
			return rows, fmt.Errorf("Too many values in line starting at position: %d", at)
		case len(rec) < len(schema.Fields) && !l.AllowJaggedRows:
			return rows, fmt.Errorf("CSV table references column position %d, but line starting at position:%d contains only %d columns.",
				len(schema.Fields)-1, at, len(rec))
		}
		out := make(row, len(schema.Fields))
		for i, f := range schema.Fields {
			if i >= len(rec) || rec[i] == l.NullMarker {
				if f.Mode == "REQUIRED" {
					return rows, fmt.Errorf("Required column value for column index: %d is missing in row starting at position: %d", i, at)
				}
				continue
			}
			c, err := encode(f.Type, rec[i])
			if err != nil {
				return rows, fmt.Errorf("Could not parse '%s' as %s for field %s (position %d) starting at location %d with message 'Unable to parse'",
					rec[i], standardType(f.Type), f.Name, i, at)
			}
			out[i] = c
		}
		rows = append(rows, out)
	}
}

// standardType is the GoogleSQL name of a legacy column type, the name load errors use.
func standardType(t string) string {
	switch t {
	case "INTEGER":
		return "INT64"
	case "FLOAT":
		return "FLOAT64"
	case "BOOLEAN":
		return "BOOL"
	}
	return t
}

// apply writes a job's output into its destination table under the job's dispositions (write defaults to
// def, the default of the job's kind; create defaults to CREATE_IF_NEEDED). It returns the errorResult
// BigQuery would give, or nil.
func (s *Server) apply(j *job, dst *bqapi.TableReference, schema *bqapi.TableSchema, rows []row, write, create, def string) *bqapi.ErrorProto {
	ref := *dst
	if ref.ProjectId == "" {
		ref.ProjectId = j.ref.ProjectId
	}
	if write == "" {
		write = def
	}
	switch write {
	case "WRITE_TRUNCATE", "WRITE_APPEND", "WRITE_EMPTY":
	default:
		return &bqapi.ErrorProto{Reason: "invalid", Message: "Invalid value for writeDisposition: " + write}
	}
	now := s.now().UnixMilli()
	t, ok := s.tables[refKey(&ref)]
	if !ok {
		if create == "CREATE_NEVER" {
			return &bqapi.ErrorProto{Reason: "notFound", Message: "Not found: Table " + legacyName(&ref)}
		}
		s.tables[refKey(&ref)] = &table{ref: ref, schema: schema, rows: rows, created: now, modified: now}
		return nil
	}
	switch write {
	case "WRITE_TRUNCATE":
		t.schema, t.rows, t.streamed = schema, rows, 0
	case "WRITE_APPEND":
		if !sameSchema(t.schema, schema) {
			return &bqapi.ErrorProto{Reason: "invalid", Message: "Provided Schema does not match Table " + legacyName(&ref) + "."}
		}
		t.rows = append(t.rows, rows...)
	case "WRITE_EMPTY":
		if len(t.rows) > 0 {
			return &bqapi.ErrorProto{Reason: "duplicate", Message: "Already Exists: Table " + legacyName(&ref)}
		}
		t.schema, t.rows = schema, rows
	}
	t.modified = now
	return nil
}
