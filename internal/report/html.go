package report

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/local"
)

// File is the report's path under the state directory.
var File = filepath.Join("report", "index.html")

var (
	//go:embed report.html
	page string
	//go:embed report.js
	script string
	//go:embed report.css
	style string

	tmpl = template.Must(template.New("report").Parse(page))
)

// Options say how to render.
type Options struct {
	// Refresh reloads the page every this many seconds (the live report of pltv serve); 0: never.
	Refresh int
}

// Write renders d as one self-contained HTML page.
func Write(w io.Writer, d Data, o Options) error {
	b, err := json.Marshal(d) // escapes <, > and &, so the data cannot close its script element
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return tmpl.Execute(w, map[string]any{
		"Title":   d.Title,
		"Refresh": o.Refresh,
		"Data":    template.JS(b),
		"Script":  template.JS(script),
		"Style":   template.CSS(style),
	})
}

// WriteFile collects the report of a state and writes it to <state>/report/index.html, replacing the
// previous one at once; it returns the file's path.
func WriteFile(ctx context.Context, rt *local.Runtime, xs executions.Executions) (string, error) {
	d, err := Collect(ctx, rt, xs)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := Write(&buf, d, Options{}); err != nil {
		return "", err
	}
	path := filepath.Join(rt.StateDir, File)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	return path, nil
}
