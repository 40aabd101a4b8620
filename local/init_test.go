package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/warehouse"
)

const dayHeader = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"

func writeDays(t *testing.T, days map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range days {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(dayHeader+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestInitIsWholeOrNothing: a bad day file refuses the whole load, naming the file and the line, and the
// state is exactly as before, fresh or loaded.
func TestInitIsWholeOrNothing(t *testing.T) {
	good := writeDays(t, map[string]string{
		"2010-12-01.csv": "536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n",
		"2010-12-02.csv": "536366,22633,HAND WARMER,6,2010-12-02 08:28:00,1.85,17851.0,France\n",
	})
	bad := writeDays(t, map[string]string{
		"2010-12-01.csv": "536365,85123A,HEART,7,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n",
		"2010-12-02.csv": "536366,22633,HAND WARMER,6,2010-12-02 08:28:00,1.85,17851.0,France\n" +
			"536367,22634,HAND WARMER,six,2010-12-02 08:29:00,1.85,17851.0,France\n",
		"2010-12-03.csv": "536368,22635,MUG,1,2010-12-03 08:30:00,1.00,17852.0,Spain\n",
	})
	ctx := context.Background()
	rt, err := Open(ctx, config.Default(), Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	sums := func() map[string]tablesum.Sum {
		t.Helper()
		out := map[string]tablesum.Sum{}
		for _, ds := range []warehouse.Dataset{rt.Config.SourceDataset(), rt.Config.LTVDataset()} {
			s, err := tablesum.Dataset(ctx, rt.WH, ds)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range s {
				out[ds.Dataset+"."+k] = v
			}
		}
		return out
	}
	wantErr := func(err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), "2010-12-02.csv") || !strings.Contains(err.Error(), "line 3") ||
			!strings.Contains(err.Error(), "column Quantity") {
			t.Fatalf("Init of a bad file: %v, want an error naming 2010-12-02.csv, its line 3 and column Quantity", err)
		}
	}

	_, err = rt.Init(ctx, bad)
	wantErr(err)
	if got := sums(); len(got) != 0 {
		t.Errorf("a fresh state after a refused init holds %v, want nothing", got)
	}
	if _, err := rt.Init(ctx, good); err != nil {
		t.Fatal(err)
	}
	before := sums()
	_, err = rt.Init(ctx, bad)
	wantErr(err)
	if diff := cmp.Diff(before, sums()); diff != "" {
		t.Errorf("a refused init changed the state (-before +after):\n%s", diff)
	}
}
