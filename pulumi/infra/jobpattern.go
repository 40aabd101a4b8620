package infra

import "github.com/pltv/pltv/warehouse"

// jobPattern is the path pattern on an audit-log entry's resourceName that matches the BigQuery jobs of one
// stage of this deployment, by the prefix every job id of the stage starts with.
func (s *stack) jobPattern(stage string) string {
	return warehouse.JobPathPattern(s.d.Cfg.BQLTVGCPProject, s.d.Cfg.JobPrefix(), stage)
}
