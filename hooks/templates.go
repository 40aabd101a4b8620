package hooks

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/pltv/pltv/warehouse"
)

//go:embed sql/*.sql
var shipped embed.FS

// The SQL templates, one per customisable query.
const (
	Extract         = "extract"          // the scheduled query of the extract stage (binds @run_date)
	Prepare         = "prepare"          // all_daily_transactions_D → prepared_daily_transactions_D
	NewCustomers    = "new_customers"    // prepared_daily_transactions_* → prepared_new_customers_daily_transactions_D
	BatchQuery      = "batch_query"      // one batch of rows to predict online
	LoadPredictions = "load_predictions" // batch prediction output → predictions rows
)

// PrepareDropped is the optional part of the prepare template, {{define "dropped"}}...{{end}}: a query of one
// row and one integer column, the source lines of the date that prepare leaves out (in the shipped template,
// those without a CustomerID). The prepare stage logs it; a template without the part logs no count.
const PrepareDropped = "dropped"

var templateNames = []string{Extract, Prepare, NewCustomers, BatchQuery, LoadPredictions}

// Tables names the datasets that templates refer to.
type Tables struct {
	Source        warehouse.Dataset
	SourceTable   string // BQ_DATA_SOURCE_TABLES
	SourceSharded bool   // BQ_DATA_SOURCE_IS_SHARDED
	LTV           warehouse.Dataset
}

// Vars are the values a template sees as {{.Name}}.
type Vars struct {
	Date          string // the run date, YYYYMMDD
	ModelDate     string // the model's date, from the metadata table
	LagDays       int    // EXTRACT_LAG_DAYS
	NewClientDays int    // MODEL_NEW_CLIENT_DAYS
	WindowStart   string // first run date of the new-customer window (Date minus NewClientDays)
	WindowEnd     string // last run date of the window (Date minus one day)
	SourceSharded bool
	BatchSize     int
	BatchOffset   int
	BatchOutput   string            // table written by a batch prediction
	Custom        map[string]string // CUSTOM_VARIABLES, also reachable as {{var "NAME"}}
}

// SQL is a loaded set of templates.
type SQL struct {
	tables    Tables
	templates map[string]*template.Template
	origin    map[string]string // template name → the file it came from
}

// Query is one rendered template.
type Query struct {
	Name   string // the template's name
	Origin string // the file it came from, for error messages
	Text   string
}

// LoadSQL loads the shipped templates, replaced by any file of the same name in dir (empty: none), and renders
// each once with sample values so that unknown variables and functions fail here.
func LoadSQL(dir string, tables Tables, sample Vars) (*SQL, error) {
	s := &SQL{tables: tables, templates: map[string]*template.Template{}, origin: map[string]string{}}
	for _, name := range templateNames {
		file := name + ".sql"
		text, origin, err := readTemplate(dir, file)
		if err != nil {
			return nil, err
		}
		t, err := template.New(origin).Option("missingkey=error").Funcs(s.funcs(sample.Custom)).Parse(text)
		if err != nil {
			return nil, fmt.Errorf("hook template %w", err)
		}
		s.templates[name], s.origin[name] = t, origin
	}
	if dir != "" {
		if err := refuseUnknownFiles(dir); err != nil {
			return nil, err
		}
	}
	for _, name := range templateNames {
		if _, err := s.Render(name, sample); err != nil {
			return nil, err
		}
	}
	if _, _, err := s.RenderPart(Prepare, PrepareDropped, sample); err != nil {
		return nil, err
	}
	return s, nil
}

func readTemplate(dir, file string) (text, origin string, err error) {
	if dir != "" {
		path := filepath.Join(dir, file)
		b, err := os.ReadFile(path)
		if err == nil {
			return string(b), path, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", "", fmt.Errorf("hook template: %w", err)
		}
	}
	b, err := shipped.ReadFile("sql/" + file)
	if err != nil {
		return "", "", fmt.Errorf("hook template %s: %w", file, err)
	}
	return string(b), "hooks/sql/" + file, nil
}

// refuseUnknownFiles catches a misspelt override, which would otherwise be silently ignored.
func refuseUnknownFiles(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("hooks dir: %w", err)
	}
	known := map[string]bool{}
	for _, n := range templateNames {
		known[n+".sql"] = true
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") && !known[e.Name()] {
			return fmt.Errorf("hooks dir %s: unknown template %s (known: %s.sql)", dir, e.Name(),
				strings.Join(templateNames, ".sql, "))
		}
	}
	return nil
}

// Render renders the named template.
func (s *SQL) Render(name string, v Vars) (Query, error) {
	t, ok := s.templates[name]
	if !ok {
		return Query{}, fmt.Errorf("no hook template %q", name)
	}
	var b bytes.Buffer
	if err := t.Funcs(s.funcs(v.Custom)).Execute(&b, v); err != nil {
		return Query{}, fmt.Errorf("hook template %w", err)
	}
	return Query{Name: name, Origin: s.origin[name], Text: b.String()}, nil
}

// RenderPart renders the part of the named template defined as {{define "part"}}; ok is false when the
// template has no such part.
func (s *SQL) RenderPart(name, part string, v Vars) (q Query, ok bool, err error) {
	t, found := s.templates[name]
	if !found {
		return Query{}, false, fmt.Errorf("no hook template %q", name)
	}
	if t = t.Lookup(part); t == nil {
		return Query{}, false, nil
	}
	var b bytes.Buffer
	if err := t.Funcs(s.funcs(v.Custom)).Execute(&b, v); err != nil {
		return Query{}, false, fmt.Errorf("hook template %s, part %q: %w", s.origin[name], part, err)
	}
	return Query{Name: name + "/" + part, Origin: s.origin[name], Text: b.String()}, true, nil
}

// Tables returns the datasets the templates refer to.
func (s *SQL) Tables() Tables { return s.tables }
