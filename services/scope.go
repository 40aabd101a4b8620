package services

import (
	"github.com/pltv/pltv/warehouse"
)

// Scope is what a deployment calls its own: jobs whose ids start with its prefix and that are labelled with
// its name, and the date shards of its LTV dataset. Events about anything else are ignored (logged at debug
// level), not refused.
type Scope struct {
	Deployment string
	LTV        warehouse.Dataset
	// JobPrefix starts the ids of the deployment's jobs (config.Config.JobPrefix, warehouse.JobPrefix).
	JobPrefix string
}

// OwnsJob reports whether a job id is one of the stage's jobs of the deployment (warehouse.IsStageJob).
func (s Scope) OwnsJob(jobID, stage string) bool {
	return warehouse.IsStageJob(jobID, s.JobPrefix, stage)
}

// OwnsShard reports whether table is the date shard name_date of the LTV dataset. A table reference
// without a project (the embedded warehouse's, or a transfer run's destination) matches any project, and so
// does a scope without one.
func (s Scope) OwnsShard(table warehouse.Ref, name, date string) bool {
	want := s.LTV.Shard(name, date)
	if table.Dataset != want.Dataset || table.Table != want.Table {
		return false
	}
	return want.Project == "" || table.Project == "" || table.Project == want.Project
}
