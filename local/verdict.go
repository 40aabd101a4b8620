package local

import (
	"fmt"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// The states of a date as a whole (DateStatus.State).
const (
	DateDone    = "done"    // every stage ran; predictions for every new customer, or no new customer
	DateSkipped = "skipped" // nothing to predict from: an empty extract or no prepared transaction
	DateFailed  = "failed"  // a stage failed, or the predictions do not match the new customers
	DatePending = "pending" // a stage has not run yet, or is waiting
	DateStale   = "stale"   // a table the date read was rewritten after it: the next run recomputes it
)

// DateStates lists the states in the order a summary counts them.
var DateStates = []string{DateDone, DateSkipped, DateFailed, DatePending, DateStale}

// verdict says where a date stands as a whole, and why when it is not done.
func verdict(d DateStatus) (state, reason string) {
	by := map[string]StageStatus{}
	for _, s := range d.Stages {
		by[s.Stage] = s
	}
	for _, st := range stageTables {
		if s := by[st.stage]; s.State == "failed" {
			return DateFailed, fmt.Sprintf("%s failed: %s", st.stage, s.Error)
		}
	}
	for _, st := range stageTables {
		if s := by[st.stage]; s.State == DateStale {
			return DateStale, fmt.Sprintf("%s is stale: %s", st.stage, s.Error)
		}
	}
	for _, st := range stageTables {
		s, ok := by[st.stage]
		table := st.table + "_" + d.Date
		switch {
		case s.State == "pending":
			return DatePending, st.stage + " is pending"
		case !ok || s.State == warehouse.Missing.String():
			reason := fmt.Sprintf("%s has not run (no %s)", st.stage, table)
			if st.stage == pipeline.StagePredict || st.stage == pipeline.StageFilter {
				// Training, evaluation and a later date's window compute the first stages of dates they read,
				// and nothing more: say so, and how to finish the date.
				reason += fmt.Sprintf(": the date went through %s only, as training and other dates' windows leave it; "+
					"pltv run --from %s --to %s completes it", previousStage(st.stage), d.Date, d.Date)
			}
			return DatePending, reason
		case s.State == warehouse.Empty.String() || s.Rows == 0:
			switch st.stage {
			case pipeline.StageExtract:
				return DateSkipped, fmt.Sprintf("no transactions on the data day (%s is empty)", table)
			case pipeline.StagePrepare:
				return DateSkipped, fmt.Sprintf("no transaction of a known customer (%s is empty)", table)
			case pipeline.StageFilter:
				return DateDone, "no new customers"
			}
		}
	}
	if f, p := by[pipeline.StageFilter], by[pipeline.StagePredict]; f.Rows != p.Rows {
		return DateFailed, fmt.Sprintf("%s_%s has %d rows for %d new-customer rows in %s_%s",
			pipeline.Predictions, d.Date, p.Rows, f.Rows, pipeline.NewCustomersTransactions, d.Date)
	}
	return DateDone, ""
}

// StatusCounts counts dates by state.
func StatusCounts(ds []DateStatus) map[string]int {
	out := map[string]int{}
	for _, d := range ds {
		out[d.State]++
	}
	return out
}

// previousStage is the stage before stage in stageTables.
func previousStage(stage string) string {
	for i, st := range stageTables {
		if st.stage == stage && i > 0 {
			return stageTables[i-1].stage
		}
	}
	return stage
}
