package config

import (
	"strconv"
	"time"
)

// WorkflowEnv returns the settings the daily workflow reads from its environment, from the same
// configuration the functions load, so that the two never disagree: the deployment sets this map on the
// workflow (and the embedded runtime on its local executions). The workflow has no defaults of its own for
// them.
func (c Config) WorkflowEnv() map[string]string {
	return map[string]string{
		"MODEL_MODE":                   string(c.ModelMode),
		"PREDICT_BATCH_CONCURRENCY":    strconv.Itoa(c.PredictBatchConcurrency),
		"STOP_MODEL_WAITING_MINUTES":   strconv.Itoa(int(c.StopModelWaiting / time.Minute)),
		"MODEL_DEPLOY_TIMEOUT_MINUTES": strconv.Itoa(int(c.ModelDeployTimeout / time.Minute)),
	}
}
