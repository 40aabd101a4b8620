package predictstart

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pltv/pltv/executions"
)

// inFlight returns the execution of the workflow that is predicting date now, if any. A second daily
// workflow for a date beside the first would predict the same batches twice and run the completion hook
// twice (an upload of doubled conversion values), so a start for a date in flight is a no-op: the execution
// running predicts what the filter wrote.
func (s *Service) inFlight(ctx context.Context, date string) (executions.Execution, bool, error) {
	list, err := s.c.Executions.List(ctx, s.c.Workflow)
	if err != nil {
		return executions.Execution{}, false, fmt.Errorf("predict %s: executions in flight: %w", date, err)
	}
	for _, x := range list {
		var arg Argument
		if x.State == executions.StateActive && json.Unmarshal([]byte(x.Argument), &arg) == nil && arg.Date == date {
			return x, true, nil
		}
	}
	return executions.Execution{}, false, nil
}
