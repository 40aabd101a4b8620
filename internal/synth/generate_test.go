package synth

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// generate runs Generate into a fresh directory and returns it with the summary.
func generate(t *testing.T, o Options) (string, Summary) {
	t.Helper()
	o.Out = t.TempDir()
	sum, err := Generate(context.Background(), o, nil)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", o, err)
	}
	return o.Out, sum
}

// readFiles returns the name and content of every file in dir.
func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

func TestGenerateIsReproducible(t *testing.T) {
	t.Parallel()
	o := Options{Customers: 300, Days: 20, Seed: 7}
	a, _ := generate(t, o)
	b, _ := generate(t, o)
	fa, fb := readFiles(t, a), readFiles(t, b)
	if len(fa) == 0 {
		t.Fatal("no files written")
	}
	if diff := cmp.Diff(fa, fb); diff != "" {
		t.Errorf("two runs with seed %d differ (-first +second):\n%.2000s", o.Seed, diff)
	}
	o.Seed = 8
	c, _ := generate(t, o)
	fc := readFiles(t, c)
	same := 0
	for name, content := range fa {
		if bytes.Equal(content, fc[name]) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seeds 7 and 8 wrote %d identical files of %d", same, len(fa))
	}
}

func TestGenerateWritesParsableDays(t *testing.T) {
	t.Parallel()
	start := time.Date(2011, 3, 1, 0, 0, 0, 0, time.UTC)
	dir, sum := generate(t, Options{Customers: 500, Days: 21, Seed: 1, Start: start})
	files := readFiles(t, dir)
	var lines, guests, cancels int64
	invoices := map[string]bool{}
	purchases := map[string]map[string]bool{} // customer -> purchase invoices
	for name := range files {
		day, err := time.Parse(time.DateOnly+".csv", name)
		if err != nil {
			t.Fatalf("file %q is not named YYYY-MM-DD.csv", name)
		}
		if day.Before(start) || !day.Before(start.AddDate(0, 0, 21)) {
			t.Errorf("file %s outside the period", name)
		}
		if day.Weekday() == time.Saturday {
			t.Errorf("file %s on a Saturday, when the shop does not trade", name)
		}
		rows, err := readDay(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		for _, r := range rows {
			open, close := openHour, closeHour
			if day.Weekday() == time.Sunday {
				open, close = sundayOpenHour, sundayCloseHour
			}
			if h := r.at.Hour(); h < open || h >= close {
				t.Errorf("%s: invoice %s at %s, outside trading hours", name, r.invoice, r.at.Format(time.TimeOnly))
			}
			if r.cancel() && r.qty >= 0 {
				t.Errorf("%s: cancellation %s with quantity %d", name, r.invoice, r.qty)
			}
			if r.cancel() && r.customer == "" {
				t.Errorf("%s: cancellation %s without a customer", name, r.invoice)
			}
			if r.price < 0 {
				t.Errorf("%s: negative price on %s", name, r.invoice)
			}
			lines++
			invoices[r.invoice] = true
			if r.customer == "" {
				guests++
			}
			if r.cancel() {
				cancels++
			}
			if r.customer != "" && !r.cancel() {
				if purchases[r.customer] == nil {
					purchases[r.customer] = map[string]bool{}
				}
				purchases[r.customer][r.invoice] = true
			}
		}
	}
	var repeat int64
	for _, p := range purchases {
		if len(p) > 1 {
			repeat++
		}
	}
	got := Summary{
		Files: len(files), Lines: lines, GuestLines: guests, CancelLines: cancels, Invoices: int64(len(invoices)),
		Customers: int64(len(purchases)), RepeatCustomers: repeat,
	}
	want := Summary{
		Files: sum.Files, Lines: sum.Lines, GuestLines: sum.GuestLines, CancelLines: sum.CancelLines,
		Invoices: sum.Invoices, Customers: sum.Customers, RepeatCustomers: sum.RepeatCustomers,
	}
	if sum.Customers != 500 {
		t.Errorf("summary counts %d customers, want the 500 asked for", sum.Customers)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files disagree with the summary (-summary +files):\n%s", diff)
	}
	if sum.Files == 0 || sum.Files >= 21 {
		t.Errorf("%d files for 21 days with 3 Saturdays, want 1..18", sum.Files)
	}
}

func TestGenerateInvoicesAreOrdered(t *testing.T) {
	t.Parallel()
	dir, _ := generate(t, Options{Customers: 400, Days: 10, Seed: 3})
	rows := readDir(t, dir)
	prevNo, prevAt := 0, time.Time{}
	for _, r := range rows {
		no := mustAtoi(t, strings.TrimPrefix(r.invoice, "C"))
		if no < prevNo || r.at.Before(prevAt) {
			t.Fatalf("invoice %s at %s after %d at %s", r.invoice, r.at, prevNo, prevAt)
		}
		prevNo, prevAt = no, r.at
	}
}

func TestGenerateHitsTransactionTarget(t *testing.T) {
	t.Parallel()
	const target = 40000
	_, sum := generate(t, Options{Transactions: target, Days: 30, Seed: 5})
	if lo, hi := int64(target*85/100), int64(target*115/100); sum.Lines < lo || sum.Lines > hi {
		t.Errorf("%d lines for a target of %d, want %d..%d", sum.Lines, target, lo, hi)
	}
}

func TestGenerateStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	_, err := Generate(ctx, Options{Out: dir, Customers: 100, Days: 5}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Generate with a cancelled context: %v, want context.Canceled", err)
	}
	if files := readFiles(t, dir); len(files) != 0 {
		t.Errorf("cancelled run left %d files", len(files))
	}
}

func TestOptionsValidate(t *testing.T) {
	ok := Options{Out: "out", Days: 30, Customers: 10}
	tests := []struct {
		name   string
		modify func(*Options)
		valid  bool
	}{
		{"customers", func(*Options) {}, true},
		{"transactions", func(o *Options) { o.Customers, o.Transactions = 0, 1000 }, true},
		{"no output", func(o *Options) { o.Out = "" }, false},
		{"no days", func(o *Options) { o.Days = 0 }, false},
		{"too many days", func(o *Options) { o.Days = MaxDays + 1 }, false},
		{"neither size", func(o *Options) { o.Customers = 0 }, false},
		{"both sizes", func(o *Options) { o.Transactions = 1000 }, false},
		{"negative", func(o *Options) { o.Customers = -1 }, false},
		{"too many customers", func(o *Options) { o.Customers = maxCustomers + 1 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.modify(&o)
			err := o.Validate()
			if (err == nil) != tt.valid {
				t.Fatalf("Validate(%+v) = %v, want valid %v", o, err, tt.valid)
			}
			if err != nil && !errors.Is(err, ErrInvalidOptions) {
				t.Errorf("error %v does not wrap ErrInvalidOptions", err)
			}
		})
	}
}

func TestGenerateWithoutTradingDay(t *testing.T) {
	saturday := time.Date(2011, 3, 5, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	sum, err := Generate(context.Background(), Options{Out: dir, Customers: 10, Days: 1, Start: saturday}, nil)
	if err != nil {
		t.Fatalf("Generate on a Saturday: %v", err)
	}
	if sum.Files != 0 || sum.Lines != 0 {
		t.Errorf("a Saturday gave %+v, want nothing", sum)
	}
	_, err = Generate(context.Background(), Options{Out: dir, Transactions: 100, Days: 1, Start: saturday}, nil)
	if !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("sizing by transactions on a Saturday: %v, want ErrInvalidOptions", err)
	}
}
