package local_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/warehouse"
)

// manualClock is a clock that moves only when told to.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *manualClock {
	return &manualClock{now: time.Date(2011, 3, 1, 6, 0, 0, 0, time.UTC)}
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testFile is a small two-part model over three of the prepared columns.
func testFile(name string) *local.File {
	features := []local.Feature{
		{Name: "basket_value", Kind: local.Numeric, Transform: local.Log1p, Center: 5, Scale: 1.5},
		{Name: "items", Kind: local.Numeric, Transform: local.Identity, Center: 100, Scale: 50},
		{Name: "country", Kind: local.Categorical, Levels: []string{"United Kingdom", "France", "Germany"}},
		{Name: "weekday", Kind: local.Categorical, Levels: []string{"2", "5"}},
	}
	return &local.File{
		FormatVersion: local.FormatVersion,
		Name:          name,
		Kind:          local.KindTwoPart,
		CreatedAt:     time.Date(2011, 3, 1, 0, 0, 0, 0, time.UTC),
		Window:        local.Window{From: "20101201", ModelDate: "20110228", CohortFrom: "20101201", CohortTo: "20101230", HorizonDays: 60},
		Features:      features,
		Columns:       local.Columns(features),
		Return:        local.Linear{Intercept: -0.5, Weights: []float64{0.8, 0.1, 0.2, -0.3, 0.4, 0.05, -0.05}},
		Value:         local.LogLinear{Linear: local.Linear{Intercept: 6, Weights: []float64{0.9, 0.2, 0.1, 0, -0.2, 0, 0.1}}, Smearing: 1.4},
		Known:         []local.KnownValue{{Value: "United Kingdom", Type: "country"}, {Value: "85123A", Type: "product"}},
	}
}

// retailSchema is the prepared columns the test model reads, with others it ignores, in an order of
// their own.
var retailSchema = warehouse.Schema{
	{Name: "clientId", Type: warehouse.String},
	{Name: "country", Type: warehouse.String},
	{Name: "weekday", Type: warehouse.Integer},
	{Name: "basket_value", Type: warehouse.Float},
	{Name: "orderId", Type: warehouse.String},
	{Name: "items", Type: warehouse.Integer},
}

func testInstances() model.Instances {
	return model.Instances{
		Schema: retailSchema,
		Rows: []warehouse.Row{
			{"12347", "Iceland", int64(3), 711.79, "537626", int64(319)},
			{"12583", "France", int64(5), 855.86, "536370", int64(449)},
			{"13047", "United Kingdom", int64(2), 366.63, "536367", int64(83)},
			{"17850", "United Kingdom", nil, nil, "536365", nil},
			{"12662", "Germany", int64(2), 261.48, "536527", int64(157)},
		},
	}
}

// writeModel saves f under dir and returns the driver options for it.
func writeModel(t testing.TB, dir string, f *local.File) local.Options {
	t.Helper()
	path, err := local.Path(dir, f.Name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	return local.Options{Dir: dir, Name: f.Name}
}
