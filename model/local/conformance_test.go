package local_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/model/modeltest"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// openWarehouse opens an in-memory warehouse holding the test instances as ltv.new_customers.
func openWarehouse(t testing.TB) (warehouse.Warehouse, warehouse.Ref) {
	t.Helper()
	wh, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = wh.Close() })
	src := warehouse.Ref{Dataset: "ltv", Table: "prepared_new_customers_daily_transactions_20110301"}
	in := testInstances()
	if err := wh.Insert(context.Background(), src, in.Schema, in.Rows); err != nil {
		t.Fatal(err)
	}
	return wh, src
}

func newFixture(t *testing.T) modeltest.Fixture {
	dir := t.TempDir()
	f := testFile("ltv-20110228-conformance")
	opts := writeModel(t, dir, f)
	clock := newClock()
	opts.Clock = clock
	wh, src := openWarehouse(t)
	opts.WH = wh
	m, err := local.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	path, _ := local.Path(dir, f.Name)
	var restore func()
	inject := func(fault modeltest.Fault) {
		switch fault {
		case modeltest.DeployFails:
			// A model file of a newer format: the deployment reads it and fails. The file is mended
			// once the failure has shown, so that the next deployment succeeds.
			good, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(good, &doc); err != nil {
				t.Fatal(err)
			}
			doc["format_version"] = local.FormatVersion + 1
			bad, _ := json.Marshal(doc)
			if err := os.WriteFile(path, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			restore = func() {
				if err := os.WriteFile(path, good, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		case modeltest.BatchFails:
			if err := wh.Drop(context.Background(), src); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("fault %v not supported", fault)
		}
	}
	return modeltest.Fixture{
		Model:     m,
		Instances: testInstances(),
		Settle: func() {
			clock.Advance(max(local.DefaultDeployTime, local.DefaultUndeployTime))
			if restore != nil {
				restore()
				restore = nil
			}
		},
		Inject: inject,
		Batch: model.BatchJob{
			Source:      src,
			Destination: warehouse.Dataset{Dataset: "ltv"},
			Labels:      warehouse.JobLabels("test", "predict", "20110301"),
		},
	}
}

func TestConformance(t *testing.T) {
	modeltest.Run(t, newFixture, modeltest.Features{
		AsyncDeploy:  true,
		Faults:       []modeltest.Fault{modeltest.DeployFails, modeltest.BatchFails},
		BatchPredict: true,
	})
}

func TestConformanceWithoutWarehouse(t *testing.T) {
	// Without latencies, deployment changes take effect at once.
	modeltest.Run(t, func(t *testing.T) modeltest.Fixture {
		opts := writeModel(t, t.TempDir(), testFile("ltv-20110228-nowarehouse"))
		opts.Clock, opts.DeployTime, opts.UndeployTime = newClock(), -1, -1
		m, err := local.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		return modeltest.Fixture{Model: m, Instances: testInstances()}
	}, modeltest.Features{})
}
