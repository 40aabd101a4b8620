package services

import (
	"github.com/pltv/pltv/warehouse"
)

// Scope is what a deployment calls its own: jobs labelled with its name and the date shards of its LTV
// dataset. Events about anything else are ignored (logged at debug level), not refused.
type Scope struct {
	Deployment string
	LTV        warehouse.Dataset
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
