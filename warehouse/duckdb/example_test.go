package duckdb_test

import (
	"context"
	"fmt"
	"log"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// Example runs a GoogleSQL query job into a date shard, as the prepare stage does, and reads it back through
// a wildcard table.
func Example() {
	ctx := context.Background()
	w, err := duckdb.Open("") // in memory; pltv passes <state>/warehouse.duckdb
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()

	ds := warehouse.Dataset{Project: "my-project", Dataset: "pltv"}
	for _, day := range []string{"20200101", "20200102"} {
		dest := ds.Shard("prepared_daily_transactions", day)
		res, err := w.Query(ctx, warehouse.QueryJob{
			SQL: `SELECT FORMAT_DATE('%Y%m%d', @run_date) AS date, n AS items
			      FROM UNNEST(GENERATE_ARRAY(1, EXTRACT(DAY FROM @run_date))) AS n`,
			Params:      map[string]any{"run_date": warehouse.Date{Year: 2020, Month: 1, Day: int(day[7] - '0')}},
			Destination: &dest,
			Labels:      warehouse.JobLabels("demo", "prepare", day),
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Destination, res.Rows)
	}

	err = w.Read(ctx, warehouse.ReadRequest{SQL: `
		SELECT _TABLE_SUFFIX AS day, SUM(items) AS items
		FROM ` + "`my-project.pltv.prepared_daily_transactions_*`" + `
		WHERE _TABLE_SUFFIX >= '20200102'
		GROUP BY day`}, func(b warehouse.Batch) error {
		for _, r := range b.Rows {
			fmt.Println(r...)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// my-project.pltv.prepared_daily_transactions_20200101 1
	// my-project.pltv.prepared_daily_transactions_20200102 2
	// 20200102 3
}
