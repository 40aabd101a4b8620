package cli

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/pltv/pltv/local"
)

func TestWorkflowsRunBackfillWaitsForWhatItStarted(t *testing.T) {
	state := initState(t, 12)
	ctx := context.Background()
	out, err := execute(t, ctx, "workflows", "run", "backfill", "--state", state, "--data", `{"from":"20101202","to":"20101208"}`)
	if err != nil {
		t.Fatalf("workflows run backfill: %v\n%s", err, out)
	}
	var result struct {
		Started int               `json:"started"`
		Runs    map[string]string `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &result); err != nil {
		t.Fatalf("result: %v\n%s", err, out)
	}
	done := 0
	for _, d := range statusOf(t, state, "20101202", "20101208") {
		if _, ok := result.Runs[d.Date]; !ok {
			continue
		}
		switch d.State {
		case local.DateDone:
			done++
		case local.DateSkipped:
		default:
			t.Errorf("%s is %s (%s) once workflows run backfill returned; want done or skipped", d.Date, d.State, d.Reason)
		}
	}
	if result.Started != len(result.Runs) || done == 0 {
		t.Errorf("the result started %d dates, %d runs, %d done: want every started date in the tables", result.Started, len(result.Runs), done)
	}
}
