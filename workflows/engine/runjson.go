package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// RunJSON is what `pltv workflows run FILE --data JSON` does: it parses source, runs it with data (JSON
// text, empty for null) as the argument and returns the result as indented JSON. Data that is not JSON is
// refused before anything runs; a failed execution returns an *ExecutionError (print its PayloadJSON and
// Context).
func RunJSON(ctx context.Context, source []byte, data string, opts Options) ([]byte, Stats, error) {
	var arg any
	if strings.TrimSpace(data) != "" {
		if !json.Valid([]byte(data)) {
			return nil, Stats{}, fmt.Errorf("--data is not valid JSON: %.80q", data)
		}
		arg = json.RawMessage(data)
	}
	result, stats, err := Run(ctx, source, arg, opts)
	if err != nil {
		return nil, stats, err
	}
	out, err := MarshalJSON(result, true)
	if err != nil {
		return nil, stats, fmt.Errorf("encode the result: %w", err)
	}
	return out, stats, nil
}
