package fakebq

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	bqapi "google.golang.org/api/bigquery/v2"
)

// insertAllRequest is tabledata.insertAll's body, decoded with exact numbers.
type insertAllRequest struct {
	SkipInvalidRows     bool   `json:"skipInvalidRows"`
	IgnoreUnknownValues bool   `json:"ignoreUnknownValues"`
	TemplateSuffix      string `json:"templateSuffix"`
	Rows                []struct {
		InsertID string         `json:"insertId"`
		JSON     map[string]any `json:"json"`
	} `json:"rows"`
}

// DecodeInsertAll decodes a recorded tabledata.insertAll body, keeping numbers exact (json.Number), and
// returns its rows' values by column name.
func DecodeInsertAll(r Request) ([]map[string]any, error) {
	in, err := decodeInsertAll(r.Body)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, row := range in.Rows {
		out = append(out, row.JSON)
	}
	return out, nil
}

func decodeInsertAll(body []byte) (*insertAllRequest, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var in insertAllRequest
	if err := dec.Decode(&in); err != nil {
		return nil, err
	}
	return &in, nil
}

func (s *Server) tabledataInsertAll(r *http.Request, req *Request) (any, error) {
	in, err := decodeInsertAll(req.Body)
	if err != nil {
		return nil, errInvalid("insertAll request: %v", err)
	}
	if in.TemplateSuffix != "" {
		return nil, errInvalid("templateSuffix is not supported by the fake")
	}
	ref := pathRef(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[refKey(ref)]
	if !ok {
		return nil, errNotFound("Table %s", legacyName(ref))
	}
	resp := &bqapi.TableDataInsertAllResponse{Kind: "bigquery#tableDataInsertAllResponse"}
	var good []row
	var ids []string
	bad := map[int]bool{}
	for i, sent := range in.Rows {
		rw, field, err := jsonRow(t.schema, sent.JSON, in.IgnoreUnknownValues)
		if err != nil {
			bad[i] = true
			resp.InsertErrors = append(resp.InsertErrors, &bqapi.TableDataInsertAllResponseInsertErrors{
				Index:  int64(i),
				Errors: []*bqapi.ErrorProto{{Reason: "invalid", Location: field, Message: err.Error()}},
			})
			continue
		}
		good = append(good, rw)
		ids = append(ids, sent.InsertID)
	}
	if len(bad) > 0 && !in.SkipInvalidRows {
		for i := range in.Rows {
			if !bad[i] {
				resp.InsertErrors = append(resp.InsertErrors, &bqapi.TableDataInsertAllResponseInsertErrors{
					Index:  int64(i),
					Errors: []*bqapi.ErrorProto{{Reason: "stopped"}},
				})
			}
		}
		return resp, nil
	}
	if t.insertIDs == nil {
		t.insertIDs = map[string]bool{}
	}
	for i, rw := range good {
		if id := ids[i]; id != "" {
			if t.insertIDs[id] {
				continue // best-effort de-duplication, as BigQuery does
			}
			t.insertIDs[id] = true
		}
		t.rows = append(t.rows, rw)
		t.streamed++
	}
	t.modified = s.now().UnixMilli()
	return resp, nil
}

// jsonRow converts one streamed row; on failure it also names the offending field.
func jsonRow(schema *bqapi.TableSchema, values map[string]any, ignoreUnknown bool) (row, string, error) {
	out := make(row, len(schema.Fields))
	seen := 0
	for i, f := range schema.Fields {
		v, ok := lookup(values, f.Name)
		if ok {
			seen++
		}
		c, err := encode(f.Type, v)
		if err != nil {
			return nil, f.Name, err
		}
		if c == nil && f.Mode == "REQUIRED" {
			return nil, f.Name, fmt.Errorf("Missing required field: %s.", f.Name)
		}
		out[i] = c
	}
	if seen < len(values) && !ignoreUnknown {
		for name := range values {
			if !hasField(schema, name) {
				return nil, name, fmt.Errorf("no such field: %s.", name)
			}
		}
	}
	return out, "", nil
}

func lookup(values map[string]any, name string) (any, bool) {
	for k, v := range values {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

func hasField(schema *bqapi.TableSchema, name string) bool {
	for _, f := range schema.Fields {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}
