package events_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/warehouse"
)

// A service triggered by BigQuery job completions decodes the event, ignores what is not a finished pltv
// job, and acknowledges what it can never process.
func ExampleDecodeJobDone() {
	end := time.Date(2024, 5, 2, 6, 0, 7, 845e6, time.UTC)
	e, err := events.NewJobDoneEvent(events.JobDone{
		Job:         events.JobRef{Project: "pltv-demo", ID: "job_1", Location: "US"},
		Kind:        events.KindQuery,
		Destination: warehouse.Ref{Dataset: "pltv", Table: "prepared_daily_transactions_20101201"},
		Labels:      warehouse.JobLabels("demo", "prepare", "20101201"),
		StartTime:   end.Add(-4 * time.Second),
		EndTime:     end,
	})
	if err != nil {
		panic(err)
	}

	j, err := events.DecodeJobDone(e)
	if errors.Is(err, events.ErrMalformed) {
		fmt.Println("acknowledge and log:", err)
		return
	}
	if !j.Finished() {
		return // the job's insertion, or another state change: nothing to do
	}
	route, err := events.RouteOf(j.Labels)
	if errors.Is(err, events.ErrNoLabel) {
		return // not a pltv job
	}
	fmt.Println(route.Stage, route.Date, j.Destination, j.Succeeded())
	// Output: prepare 20101201 pltv-demo.pltv.prepared_daily_transactions_20101201 true
}

// The prepare service is triggered by the scheduled extract's run notification.
func ExampleDecodeTransferRun() {
	e, err := events.NewTransferRunFinishedEvent(events.Delivery{
		Topic:        "projects/pltv-demo/topics/extract-done",
		Subscription: "projects/pltv-demo/subscriptions/prepare",
		MessageID:    "11301524782516693",
		PublishTime:  time.Date(2024, 5, 2, 5, 0, 41, 0, time.UTC),
	}, events.TransferRun{
		Name:                 "projects/684203917531/locations/us/transferConfigs/c1/runs/r1",
		DataSourceID:         "scheduled_query",
		DestinationDatasetID: "pltv",
		Params:               events.TransferParams{DestinationTableNameTemplate: "all_daily_transactions_{run_date}"},
		State:                events.TransferSucceeded,
		RunTime:              time.Date(2010, 12, 2, 5, 0, 0, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}

	f, err := events.DecodeTransferRun(e)
	if err != nil {
		panic(err)
	}
	table, err := f.Run.DestinationTable()
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Run.RunDate(), f.Run.Succeeded(), table)
	// Output: 20101202 true pltv.all_daily_transactions_20101202
}
