package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/pltv/pltv/pipeline"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// flagDates is pipeline.Dates with the error naming the flags.
func flagDates(from, to string) ([]string, error) {
	if _, err := pipeline.ParseDate(from); err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	if _, err := pipeline.ParseDate(to); err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	return pipeline.Dates(from, to)
}
