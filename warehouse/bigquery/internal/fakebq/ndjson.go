package fakebq

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	bqapi "google.golang.org/api/bigquery/v2"
)

// parseNDJSON reads the uploaded newline-delimited JSON of a load job: one object a line, its keys the
// columns (matched without case, as BigQuery does). A key the schema lacks, a required column without a
// value or a value of the wrong type fails the load, with BigQuery's wording.
func parseNDJSON(l *bqapi.JobConfigurationLoad, schema *bqapi.TableSchema, data []byte) ([]row, error) {
	index := map[string]int{}
	for i, f := range schema.Fields {
		index[strings.ToLower(f.Name)] = i
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 100<<20)
	var rows []row
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return rows, fmt.Errorf("JSON table encountered too many errors, giving up. Rows: %d; errors: 1. Please look into the errors[] collection for more details. (line %d: %v)", line, line, err)
		}
		out := make(row, len(schema.Fields))
		for k, v := range obj {
			i, ok := index[strings.ToLower(k)]
			if !ok {
				if l.IgnoreUnknownValues {
					continue
				}
				return rows, fmt.Errorf("JSON parsing error in row starting at position %d: No such field: %s.", line, k)
			}
			c, err := encode(schema.Fields[i].Type, v)
			if err != nil {
				return rows, fmt.Errorf("JSON parsing error in row starting at position %d: Could not convert value to %s. Field: %s; Value: %v",
					line, standardType(schema.Fields[i].Type), schema.Fields[i].Name, v)
			}
			out[i] = c
		}
		for i, f := range schema.Fields {
			if out[i] == nil && f.Mode == "REQUIRED" {
				return rows, fmt.Errorf("JSON parsing error in row starting at position %d: Missing required field: %s.", line, f.Name)
			}
		}
		rows = append(rows, out)
	}
	return rows, sc.Err()
}
