package synth

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// row is one parsed line of a day file.
type row struct {
	invoice, code, desc string
	qty                 int
	at                  time.Time
	price               float64
	customer, country   string
}

func (r row) cancel() bool { return strings.HasPrefix(r.invoice, "C") }

const invoiceDateLayout = "2006-01-02 15:04:05"

// columnPatterns is the shape of each column of the real files, which every generated line must have too.
var columnPatterns = []*regexp.Regexp{
	regexp.MustCompile(`^[AC]?\d{6,}$`),                  // InvoiceNo ("A": bad-debt adjustments of the real data)
	regexp.MustCompile(`^[0-9A-Za-z_ ]+$`),               // StockCode
	regexp.MustCompile(`^[^\n]*$`),                       // Description
	regexp.MustCompile(`^-?\d+$`),                        // Quantity
	regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:00$`), // InvoiceDate
	regexp.MustCompile(`^-?\d+\.\d+$`),                   // UnitPrice
	regexp.MustCompile(`^(\d+\.0)?$`),                    // CustomerID
	regexp.MustCompile(`^[A-Z][A-Za-z ]+$`),              // Country
}

// readDay parses one day file strictly: the header, eight fields a line, the column shapes of the real
// data, and InvoiceDate on the file's day.
func readDay(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	day, err := time.Parse(time.DateOnly, strings.TrimSuffix(filepath.Base(path), ".csv"))
	if err != nil {
		return nil, fmt.Errorf("file name: %w", err)
	}
	r := csv.NewReader(f)
	r.FieldsPerRecord = 8
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if got := strings.Join(head, ",") + "\n"; got != header {
		return nil, fmt.Errorf("header %q", got)
	}
	var rows []row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		for i, p := range columnPatterns {
			if !p.MatchString(rec[i]) {
				return nil, fmt.Errorf("line %d: column %d %q does not match %s", line, i, rec[i], p)
			}
		}
		qty, _ := strconv.Atoi(rec[3])
		price, _ := strconv.ParseFloat(rec[5], 64)
		at, err := time.Parse(invoiceDateLayout, rec[4])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if y, m, d := at.Date(); time.Date(y, m, d, 0, 0, 0, 0, time.UTC) != day {
			return nil, fmt.Errorf("line %d: InvoiceDate %s in the file of %s", line, rec[4], day.Format(time.DateOnly))
		}
		rows = append(rows, row{rec[0], rec[1], rec[2], qty, at, price, rec[6], rec[7]})
	}
}

// readDir parses every day file of dir in date order.
func readDir(t *testing.T, dir string) []row {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var all []row
	for _, f := range files {
		rows, err := readDay(f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		all = append(all, rows...)
	}
	return all
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
