package training

import (
	"context"
	"fmt"
	"slices"

	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// Dataset is a cohort of first purchases with their labels: one row per new-customer row (an invoice of
// a customer on the date the filter stage found them new), in the columns of the prepared table.
type Dataset struct {
	Schema warehouse.Schema
	Rows   []warehouse.Row
	// FirstDate is each row's run date, Client its customer.
	FirstDate []string
	Client    []string
	// Label is the value the customer spent in the horizon: the sum of basket_value over the customer's
	// prepared rows of the HorizonDays run dates after FirstDate. Invoices of the first date itself are not
	// counted: they are new-customer rows themselves, each predicted from its own basket.
	Label []float64
}

// Cohort is a range of first-purchase run dates and the horizon of their labels.
type Cohort struct {
	From, To    string
	HorizonDays int
}

// LabelEnd is the last run date a label of the cohort reads.
func (c Cohort) LabelEnd() (string, error) { return pipeline.AddDays(c.To, c.HorizonDays) }

func (c Cohort) check() error {
	for _, d := range []string{c.From, c.To} {
		if _, err := pipeline.ParseDate(d); err != nil {
			return fmt.Errorf("cohort: %w", err)
		}
	}
	if c.To < c.From {
		return fmt.Errorf("cohort %s..%s ends before it starts", c.From, c.To)
	}
	if c.HorizonDays < 1 {
		return fmt.Errorf("horizon of %d days: want at least 1", c.HorizonDays)
	}
	return nil
}

// The columns a dataset needs besides the model's features.
const (
	clientColumn = "clientId"
	firstDateCol = "pltv_first_date"
)

// BuildDataset reads the cohort's first purchases from prepared_new_customers_daily_transactions_* and
// their labels from prepared_daily_transactions_* of the LTV dataset.
func BuildDataset(ctx context.Context, wh warehouse.Warehouse, ltv warehouse.Dataset, c Cohort) (*Dataset, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	ds, err := readFirstPurchases(ctx, wh, ltv, c)
	if err != nil {
		return nil, fmt.Errorf("build dataset %s..%s: %w", c.From, c.To, err)
	}
	if err := ds.label(ctx, wh, ltv, c); err != nil {
		return nil, fmt.Errorf("build dataset %s..%s: labels: %w", c.From, c.To, err)
	}
	return ds, nil
}

func readFirstPurchases(ctx context.Context, wh warehouse.Warehouse, ltv warehouse.Dataset, c Cohort) (*Dataset, error) {
	prefix := pipeline.NewCustomersTransactions + "_"
	if err := requireShards(ctx, wh, ltv, prefix, c.From, c.To); err != nil {
		return nil, err
	}
	ds := &Dataset{}
	err := wh.Read(ctx, warehouse.ReadRequest{
		SQL: "SELECT t.*, _TABLE_SUFFIX AS " + firstDateCol + " FROM " + ltv.Table(prefix+"*").SQL() + " AS t" +
			" WHERE _TABLE_SUFFIX BETWEEN @from AND @to AND LENGTH(_TABLE_SUFFIX) = 8 ORDER BY " + firstDateCol + ", t.orderId",
		Params:    map[string]any{"from": c.From, "to": c.To},
		BatchSize: 10000,
	}, func(b warehouse.Batch) error {
		if ds.Schema == nil {
			n := len(b.Schema) - 1
			if b.Schema[n].Name != firstDateCol || b.Schema.Index(clientColumn) < 0 || b.Schema.Index(local.BasketValueColumn) < 0 {
				return fmt.Errorf("new-customer rows have no %s and %s columns", clientColumn, local.BasketValueColumn)
			}
			ds.Schema = slices.Clone(b.Schema[:n])
		}
		client := ds.Schema.Index(clientColumn)
		for _, r := range b.Rows {
			n := len(r) - 1
			ds.Rows = append(ds.Rows, r[:n:n])
			ds.FirstDate = append(ds.FirstDate, fmt.Sprint(r[n]))
			ds.Client = append(ds.Client, fmt.Sprint(r[client]))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ds.Rows) == 0 {
		return nil, fmt.Errorf("no new-customer rows between %s and %s", c.From, c.To)
	}
	return ds, nil
}

// requireShards fails unless a table of the prefix exists for a date between from and to.
func requireShards(ctx context.Context, wh warehouse.Warehouse, ltv warehouse.Dataset, prefix, from, to string) error {
	tables, err := wh.Tables(ctx, ltv, prefix)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if d := t.Ref.Table[len(prefix):]; d >= from && d <= to && len(d) == len(pipeline.DateLayout) {
			return nil
		}
	}
	return fmt.Errorf("no table %s%s..%s in %s (run extract, prepare and filter for those dates)", prefix, from, to, ltv.Dataset)
}

// purchase is one prepared row of a cohort customer.
type purchase struct {
	date  string
	value float64
}

// label sums each row's customer's later purchases within the horizon.
func (ds *Dataset) label(ctx context.Context, wh warehouse.Warehouse, ltv warehouse.Dataset, c Cohort) error {
	end, err := c.LabelEnd()
	if err != nil {
		return err
	}
	inCohort := map[string]bool{}
	for _, cl := range ds.Client {
		inCohort[cl] = true
	}
	later := map[string][]purchase{}
	err = wh.Read(ctx, warehouse.ReadRequest{
		SQL: "SELECT clientId, _TABLE_SUFFIX AS run_date, basket_value FROM " +
			ltv.Table(pipeline.PreparedDailyTransactions+"_*").SQL() +
			" WHERE _TABLE_SUFFIX > @from AND _TABLE_SUFFIX <= @to AND LENGTH(_TABLE_SUFFIX) = 8",
		Params:    map[string]any{"from": c.From, "to": end},
		BatchSize: 10000,
	}, func(b warehouse.Batch) error {
		for _, r := range b.Rows {
			cl := fmt.Sprint(r[0])
			if !inCohort[cl] {
				continue
			}
			v, ok := number(r[2])
			if !ok {
				continue // a NULL basket adds nothing
			}
			later[cl] = append(later[cl], purchase{date: fmt.Sprint(r[1]), value: v})
		}
		return nil
	})
	if err != nil {
		return err
	}
	ds.Label = make([]float64, len(ds.Rows))
	for i, cl := range ds.Client {
		horizonEnd, err := pipeline.AddDays(ds.FirstDate[i], c.HorizonDays)
		if err != nil {
			return err
		}
		for _, p := range later[cl] {
			if p.date > ds.FirstDate[i] && p.date <= horizonEnd {
				ds.Label[i] += p.value
			}
		}
	}
	return nil
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// FirstValues returns each row's basket_value: the baseline's prediction.
func (ds *Dataset) FirstValues() []float64 {
	col := ds.Schema.Index(local.BasketValueColumn)
	out := make([]float64, len(ds.Rows))
	for i, r := range ds.Rows {
		out[i], _ = number(r[col])
	}
	return out
}

// Len is the number of rows.
func (ds *Dataset) Len() int { return len(ds.Rows) }

// Customers is the number of distinct customers.
func (ds *Dataset) Customers() int {
	seen := map[string]bool{}
	for _, c := range ds.Client {
		seen[c] = true
	}
	return len(seen)
}
