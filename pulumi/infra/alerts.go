package infra

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/logging"
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/monitoring"
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/workflows"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	wf "github.com/pltv/pltv/workflows"
)

// alerts creates two log-based metrics, the services' errors (entries of ERROR or worse from the functions'
// Cloud Run services) and the workflows' failures (their ERROR entries: with call logging LOG_ERRORS_ONLY a
// workflow logs every unhandled exception and failed execution), and one alert policy on either, to the
// notification channel of the stack (pltv:alertChannel, or an email channel created for pltv:alertEmail).
func (s *stack) alerts(fns map[string]*function, wfs map[string]*workflows.Workflow) error {
	cfg := s.d.Cfg
	project := pulumi.String(cfg.DefaultGCPProject)
	var services, flows []string
	for _, name := range functionNames() {
		services = append(services, fmt.Sprintf("%q", s.n.Of(name)))
	}
	for _, name := range wf.Names() {
		flows = append(flows, fmt.Sprintf("%q", s.n.Of(name)))
	}
	metrics := []struct{ key, filter, what string }{
		{"service-errors", `resource.type="cloud_run_revision" AND resource.labels.service_name=(` +
			strings.Join(services, " OR ") + `) AND severity>=ERROR`, "errors logged by the services"},
		{"workflow-failures", `resource.type="workflows.googleapis.com/Workflow" AND resource.labels.workflow_id=(` +
			strings.Join(flows, " OR ") + `) AND severity>=ERROR`, "failed workflow executions and steps"},
	}
	channel := pulumi.String(s.d.AlertChannel).ToStringOutput()
	if s.d.AlertChannel == "" {
		ch, err := monitoring.NewNotificationChannel(s.ctx, "alert-email", &monitoring.NotificationChannelArgs{
			Project:     project,
			DisplayName: pulumi.String("pltv " + s.n.Deployment + " alerts"),
			Type:        pulumi.String("email"),
			Labels:      pulumi.StringMap{"email_address": pulumi.String(s.d.AlertEmail)},
		}, s.opts()...)
		if err != nil {
			return err
		}
		channel = ch.Name
	}
	var conditions monitoring.AlertPolicyConditionArray
	var deps []pulumi.Resource
	for _, m := range metrics {
		name := s.n.Of(m.key)
		metric, err := logging.NewMetric(s.ctx, "metric-"+m.key, &logging.MetricArgs{
			Project:     project,
			Name:        pulumi.String(name),
			Description: pulumi.String("pltv " + s.n.Deployment + ": " + m.what),
			Filter:      pulumi.String(m.filter),
			MetricDescriptor: &logging.MetricMetricDescriptorArgs{
				MetricKind: pulumi.String("DELTA"), ValueType: pulumi.String("INT64"), Unit: pulumi.String("1"),
			},
		}, s.opts()...)
		if err != nil {
			return err
		}
		deps = append(deps, metric)
		conditions = append(conditions, &monitoring.AlertPolicyConditionArgs{
			DisplayName: pulumi.String(m.what),
			ConditionThreshold: &monitoring.AlertPolicyConditionConditionThresholdArgs{
				Filter: pulumi.String(`metric.type="logging.googleapis.com/user/` + name +
					`" AND resource.type="` + resourceTypeOf(m.key) + `"`),
				Comparison:     pulumi.String("COMPARISON_GT"),
				ThresholdValue: pulumi.Float64(0),
				Duration:       pulumi.String("0s"),
				Aggregations: monitoring.AlertPolicyConditionConditionThresholdAggregationArray{
					&monitoring.AlertPolicyConditionConditionThresholdAggregationArgs{
						AlignmentPeriod: pulumi.String("300s"), PerSeriesAligner: pulumi.String("ALIGN_SUM"),
						CrossSeriesReducer: pulumi.String("REDUCE_SUM"),
					},
				},
			},
		})
	}
	_, err := monitoring.NewAlertPolicy(s.ctx, "alert-failures", &monitoring.AlertPolicyArgs{
		Project:              project,
		DisplayName:          pulumi.String("pltv " + s.n.Deployment + ": a run failed or a service logged an error"),
		Combiner:             pulumi.String("OR"),
		Conditions:           conditions,
		NotificationChannels: pulumi.StringArray{channel},
		Severity:             pulumi.String("ERROR"),
		Documentation: &monitoring.AlertPolicyDocumentationArgs{
			MimeType: pulumi.String("text/markdown"),
			Content: pulumi.String("A pltv run did not finish. Find the date: `pltv status`, the workflow's executions in the " +
				"Console, and the logs of the date with `jsonPayload.date=\"YYYYMMDD\"`."),
		},
	}, s.opts(pulumi.DependsOn(deps))...)
	return err
}

// resourceTypeOf is the monitored resource of a log-based metric's time series: that of its entries.
func resourceTypeOf(metric string) string {
	if metric == "workflow-failures" {
		return "workflows.googleapis.com/Workflow"
	}
	return "cloud_run_revision"
}
