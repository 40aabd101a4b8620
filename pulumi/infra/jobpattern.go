package infra

// jobPattern is the path pattern on an audit-log entry's resourceName that matches the BigQuery jobs of one
// stage of this deployment: projects/<project>/jobs/pltv_<deployment>_<prefix>_<stage>_*.
func (s *stack) jobPattern(stage string) string {
	return "projects/" + s.d.Cfg.BQLTVGCPProject + "/jobs/pltv_" + s.n.Deployment + "_" + s.n.Prefix + "_" + stage + "_*"
}
