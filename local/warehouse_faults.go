package local

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// failingPrepare is a warehouse that refuses every query job preparing one date — the prepare stage's, and
// a later filter's preparing the days of its window — as BigQuery refuses a query it cannot run (a
// permanent SQL error): the prepare of that date fails for good.
type failingPrepare struct {
	warehouse.Warehouse
	date string
}

func (w failingPrepare) Query(ctx context.Context, job warehouse.QueryJob) (warehouse.JobResult, error) {
	prepared := job.Destination != nil && job.Destination.Table == pipeline.PreparedDailyTransactions+"_"+w.date
	if prepared || job.Labels[warehouse.LabelStage] == pipeline.StagePrepare && job.Labels[warehouse.LabelDate] == w.date {
		return warehouse.JobResult{}, &warehouse.SQLError{Message: fmt.Sprintf("injected fault: the prepare query of %s is refused", w.date)}
	}
	return w.Warehouse.Query(ctx, job)
}
