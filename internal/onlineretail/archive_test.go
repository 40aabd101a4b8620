package onlineretail

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArchive checks the shipped data as a whole: every trading day of the data set, in order, each file with
// the header and only rows of its own day.
func TestArchive(t *testing.T) {
	const header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
	var files, rows int
	prev := ""
	err := Walk(func(name string, r io.Reader) error {
		if name <= prev {
			t.Errorf("%s after %s: not in date order", name, prev)
		}
		prev = name
		files++
		day := strings.TrimSuffix(name, ".csv")
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<16), 1<<20)
		if !sc.Scan() || sc.Text() != header {
			t.Errorf("%s: header %q, want %q", name, sc.Text(), header)
		}
		for sc.Scan() {
			rows++
			if !strings.Contains(sc.Text(), ","+day+" ") {
				t.Errorf("%s: row of another day: %s", name, sc.Text())
				break
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != 305 || rows != 541909 || prev != "2011-12-09.csv" {
		t.Errorf("got %d files, %d rows, last %s; want 305 files, 541909 rows, last 2011-12-09.csv", files, rows, prev)
	}
}

func TestDirUnpacksOnceAndCompletely(t *testing.T) {
	base := t.TempDir()
	dir, err := dirUnder(base)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(names) != 305 {
		t.Fatalf("%d day files in %s, want 305", len(names), dir)
	}
	// A second call finds the same directory without unpacking again.
	stamp := filepath.Join(dir, "2010-12-01.csv")
	if err := os.WriteFile(stamp, []byte("marker"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := dirUnder(base)
	if err != nil || again != dir {
		t.Fatalf("second call: %q, %v; want %q", again, err, dir)
	}
	if b, _ := os.ReadFile(stamp); string(b) != "marker" {
		t.Error("the second call unpacked again")
	}
	// Nothing is left beside it.
	entries, _ := os.ReadDir(base)
	if len(entries) != 1 {
		t.Errorf("%d entries in %s, want only the data directory", len(entries), base)
	}
}
