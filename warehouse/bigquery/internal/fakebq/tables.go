package fakebq

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	bqapi "google.golang.org/api/bigquery/v2"
)

// table is one stored table. Rows that arrived by streaming insert stay in the streaming buffer (counted by
// streamed) until Flush: like BigQuery, tables.get leaves them out of numRows and reports them as the
// buffer's estimatedRows, while tabledata.list already returns them.
type table struct {
	ref       bqapi.TableReference
	schema    *bqapi.TableSchema
	rows      []row
	streamed  int
	insertIDs map[string]bool
	created   int64 // milliseconds since the epoch
	modified  int64
}

func key(project, dataset, table string) string { return project + "." + dataset + "." + table }

func refKey(r *bqapi.TableReference) string { return key(r.ProjectId, r.DatasetId, r.TableId) }

// legacyName is how BigQuery's messages name a table: project:dataset.table.
func legacyName(r *bqapi.TableReference) string {
	return r.ProjectId + ":" + r.DatasetId + "." + r.TableId
}

func pathRef(r *http.Request) *bqapi.TableReference {
	return &bqapi.TableReference{ProjectId: r.PathValue("project"), DatasetId: r.PathValue("dataset"), TableId: r.PathValue("table")}
}

// PutTable stores a table (replacing any table of that name) with rows given as Go values in schema order:
// nil, string, int64, float64, bool, civil.Date, civil.DateTime or time.Time.
func (s *Server) PutTable(project, dataset, name string, schema *bqapi.TableSchema, rows [][]any) error {
	ns, err := normalizeSchema(schema)
	if err != nil {
		return err
	}
	t := &table{ref: bqapi.TableReference{ProjectId: project, DatasetId: dataset, TableId: name}, schema: ns}
	for i, values := range rows {
		r, err := encodeRow(ns, values)
		if err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
		t.rows = append(t.rows, r)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t.created = s.now().UnixMilli()
	t.modified = t.created
	s.tables[refKey(&t.ref)] = t
	return nil
}

// Flush empties every streaming buffer into its table's managed storage.
func (s *Server) Flush() {
	s.locked(func() {
		for _, t := range s.tables {
			t.streamed = 0
		}
	})
}

// TableNames returns the stored tables as project.dataset.table, sorted.
func (s *Server) TableNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.tables {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (s *Server) resource(t *table) *bqapi.Table {
	ref := t.ref
	out := &bqapi.Table{
		Kind:             "bigquery#table",
		Id:               legacyName(&ref),
		TableReference:   &ref,
		Schema:           t.schema,
		NumRows:          uint64(len(t.rows) - t.streamed),
		Type:             "TABLE",
		Location:         s.location,
		CreationTime:     t.created,
		LastModifiedTime: uint64(t.modified),
	}
	if t.streamed > 0 {
		out.StreamingBuffer = &bqapi.Streamingbuffer{EstimatedRows: uint64(t.streamed), OldestEntryTime: uint64(t.modified)}
	}
	return out
}

func (s *Server) tablesGet(r *http.Request, _ *Request) (any, error) {
	ref := pathRef(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[refKey(ref)]
	if !ok {
		return nil, errNotFound("Table %s", legacyName(ref))
	}
	return s.resource(t), nil
}

func (s *Server) tablesInsert(r *http.Request, req *Request) (any, error) {
	var in bqapi.Table
	if err := req.Decode(&in); err != nil {
		return nil, errInvalid("table resource: %v", err)
	}
	if in.TableReference == nil || in.TableReference.TableId == "" {
		return nil, errInvalid("tableReference.tableId is required")
	}
	ref := pathRef(r)
	ref.TableId = in.TableReference.TableId
	schema, err := normalizeSchema(in.Schema)
	if err != nil {
		return nil, errInvalid("%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tables[refKey(ref)]; ok {
		return nil, &apiError{Code: http.StatusConflict, Reason: "duplicate", Message: "Already Exists: Table " + legacyName(ref)}
	}
	now := s.now().UnixMilli()
	t := &table{ref: *ref, schema: schema, created: now, modified: now}
	s.tables[refKey(ref)] = t
	return s.resource(t), nil
}

func (s *Server) tablesDelete(r *http.Request, _ *Request) (any, error) {
	ref := pathRef(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tables[refKey(ref)]; !ok {
		return nil, errNotFound("Table %s", legacyName(ref))
	}
	delete(s.tables, refKey(ref))
	return raw{status: http.StatusNoContent}, nil
}

func (s *Server) tablesList(r *http.Request, _ *Request) (any, error) {
	project, dataset := r.PathValue("project"), r.PathValue("dataset")
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for _, t := range s.tables {
		if t.ref.ProjectId == project && t.ref.DatasetId == dataset {
			names = append(names, t.ref.TableId)
		}
	}
	slices.Sort(names)
	start, end, next, err := page(len(names), r.URL.Query(), s.listSize)
	if err != nil {
		return nil, err
	}
	out := &bqapi.TableList{Kind: "bigquery#tableList", TotalItems: int64(len(names)), NextPageToken: next}
	for _, n := range names[start:end] {
		ref := bqapi.TableReference{ProjectId: project, DatasetId: dataset, TableId: n}
		out.Tables = append(out.Tables, &bqapi.TableListTables{Kind: "bigquery#table", Id: legacyName(&ref), TableReference: &ref, Type: "TABLE"})
	}
	return out, nil
}

func (s *Server) tabledataList(r *http.Request, _ *Request) (any, error) {
	ref := pathRef(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[refKey(ref)]
	if !ok {
		return nil, errNotFound("Table %s", legacyName(ref))
	}
	start, end, next, err := page(len(t.rows), r.URL.Query(), s.pageRows)
	if err != nil {
		return nil, err
	}
	return withRows(&bqapi.TableDataList{
		Kind:      "bigquery#tableDataList",
		TotalRows: int64(len(t.rows)),
		PageToken: next,
	}, tableRows(t.rows[start:end], int64Timestamps(r)))
}

func int64Timestamps(r *http.Request) bool {
	return r.URL.Query().Get("formatOptions.useInt64Timestamp") == "true"
}

// page picks the slice of n items that a list request asks for through its pageToken, startIndex and
// maxResults parameters, at most limit of them, and the token of the next page ("" after the last).
func page(n int, q url.Values, limit int) (start, end int, next string, err error) {
	switch {
	case q.Get("pageToken") != "":
		tok, ok := strings.CutPrefix(q.Get("pageToken"), "offset-")
		start, err = strconv.Atoi(tok)
		if !ok || err != nil || start < 0 || start > n {
			return 0, 0, "", errInvalid("invalid page token %q", q.Get("pageToken"))
		}
	case q.Get("startIndex") != "":
		start, err = strconv.Atoi(q.Get("startIndex"))
		if err != nil || start < 0 {
			return 0, 0, "", errInvalid("invalid startIndex %q", q.Get("startIndex"))
		}
		start = min(start, n)
	}
	size := limit
	if q.Has("maxResults") {
		m, err := strconv.Atoi(q.Get("maxResults"))
		if err != nil || m < 0 {
			return 0, 0, "", errInvalid("invalid maxResults %q", q.Get("maxResults"))
		}
		size = min(m, limit)
	}
	end = min(start+size, n)
	if end < n && size > 0 {
		next = "offset-" + strconv.Itoa(end)
	}
	return start, end, next, nil
}
