package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/warehouse"
)

// runTemplate renders a hook template and runs it into dest, replacing dest.
func (p *Pipeline) runTemplate(ctx context.Context, stage, name string, v hooks.Vars, params map[string]any, dest warehouse.Ref) (warehouse.JobResult, error) {
	q, err := p.SQL.Render(name, v)
	if err != nil {
		return warehouse.JobResult{}, err
	}
	res, err := p.WH.Query(ctx, warehouse.QueryJob{
		SQL:         q.Text,
		Params:      params,
		Destination: &dest,
		Write:       warehouse.WriteTruncate,
		Labels:      p.labels(stage, v.Date),
	})
	if err != nil {
		return res, templateError(q, err)
	}
	return res, nil
}

// templateError names the hook template, and the line of the template, where the warehouse refused the query.
func templateError(q hooks.Query, err error) error {
	var se *warehouse.SQLError
	var ue *warehouse.UnsupportedError
	line := 0
	switch {
	case errors.As(err, &se):
		line = se.Line
	case errors.As(err, &ue):
		line = ue.Line
	}
	if line <= 0 {
		return fmt.Errorf("hook template %s: %w", q.Origin, err)
	}
	lines := strings.Split(q.Text, "\n")
	if line > len(lines) {
		return fmt.Errorf("hook template %s: %w", q.Origin, err)
	}
	text := strings.TrimSpace(lines[line-1])
	return fmt.Errorf("hook template %s, query line %d (%q): %w", q.Origin, line, text, err)
}
