package local

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/internal/onlineretail"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// SourceFile is one day file of source data.
type SourceFile struct {
	Path string
	Date string // YYYYMMDD
}

var dayFileRE = regexp.MustCompile(`^(\d{4})-?(\d{2})-?(\d{2})\.csv$`)

// SourceFiles lists the day files of dir (YYYY-MM-DD.csv or YYYYMMDD.csv), sorted by date; an empty dir means
// the Online Retail data the repository ships. Other files are an error, so that a stray file is not silently
// ignored.
func SourceFiles(dir string) ([]SourceFile, error) {
	if dir == "" {
		shipped, err := onlineretail.Dir()
		if err != nil {
			return nil, fmt.Errorf("source: %w", err)
		}
		dir = shipped
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	var out []SourceFile
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		m := dayFileRE.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("source %s: %s is not a day file named YYYY-MM-DD.csv", dir, e.Name())
		}
		date := m[1] + m[2] + m[3]
		if _, err := pipeline.ParseDate(date); err != nil {
			return nil, fmt.Errorf("source %s: %s: %w", dir, e.Name(), err)
		}
		out = append(out, SourceFile{Path: filepath.Join(dir, e.Name()), Date: date})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("source %s: no day files (YYYY-MM-DD.csv)", dir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// LoadSource loads the day files into the source dataset: one shard <table>_YYYYMMDD per file when the source is
// sharded, else all of them into <table>. The load is whole or nothing: a bad file stops it, named in the error
// with its line, and every table is left as it was.
func LoadSource(ctx context.Context, wh warehouse.Warehouse, t hooks.Tables, files []SourceFile, workers int) (rows int64, err error) {
	return loadAll(ctx, wh, sourceLoads(t, files), workers)
}

// sourceLoads are the loads of the day files: one per file into its shard, or one of every file into the
// unsharded table.
func sourceLoads(t hooks.Tables, files []SourceFile) []stagedLoad {
	if !t.SourceSharded {
		return []stagedLoad{{dest: t.Source.Table(t.SourceTable), load: func(ctx context.Context, wh warehouse.Warehouse, staging warehouse.Ref) (int64, error) {
			var rows int64
			for i, f := range files {
				write := warehouse.WriteAppend
				if i == 0 {
					write = warehouse.WriteTruncate
				}
				n, err := loadFile(ctx, wh, staging, f, write)
				if err != nil {
					return 0, err
				}
				rows = n
			}
			return rows, nil
		}}}
	}
	loads := make([]stagedLoad, len(files))
	for i, f := range files {
		loads[i] = stagedLoad{dest: t.Source.Shard(t.SourceTable, f.Date), load: func(ctx context.Context, wh warehouse.Warehouse, staging warehouse.Ref) (int64, error) {
			return loadFile(ctx, wh, staging, f, warehouse.WriteTruncate)
		}}
	}
	return loads
}

func loadFile(ctx context.Context, wh warehouse.Warehouse, dest warehouse.Ref, f SourceFile, write warehouse.WriteDisposition) (int64, error) {
	r, err := os.Open(f.Path)
	if err != nil {
		return 0, fmt.Errorf("source: %w", err)
	}
	defer r.Close()
	br := bufio.NewReader(r)
	if err := checkHeader(f.Path, br, hooks.SourceSchema()); err != nil {
		return 0, err
	}
	res, err := pipeline.LoadCSV(ctx, wh, warehouse.LoadJob{
		Source: br, SourceName: f.Path, Destination: dest, Schema: hooks.SourceSchema(),
		SkipLeadingRows: 1, Write: write,
	})
	return res.Rows, err
}

// checkHeader refuses a file whose header does not name the schema's columns in order; it leaves r unread.
func checkHeader(path string, r *bufio.Reader, schema warehouse.Schema) error {
	line, err := r.Peek(4096)
	if i := strings.IndexByte(string(line), '\n'); i >= 0 {
		line = line[:i]
	} else if err == nil {
		return fmt.Errorf("%s:1: header line longer than 4096 bytes", path)
	}
	header, cerr := csv.NewReader(strings.NewReader(strings.TrimRight(string(line), "\r"))).Read()
	if cerr != nil {
		return fmt.Errorf("%s:1: header: %w", path, cerr)
	}
	var want []string
	for _, f := range schema {
		want = append(want, f.Name)
	}
	if !strings.EqualFold(strings.Join(header, ","), strings.Join(want, ",")) {
		return fmt.Errorf("%s:1: header %q, want %q", path, strings.Join(header, ","), strings.Join(want, ","))
	}
	return nil
}
