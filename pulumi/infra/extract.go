package infra

import (
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/bigquery"
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/projects"
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/pubsub"
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/serviceaccount"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/pipeline"
)

// Scheduled-query parameters (BigQuery Data Transfer, data source scheduled_query).
const (
	// ExtractDestination is the extract's destination table template: one date shard per run.
	ExtractDestination = pipeline.AllDailyTransactions + "_{run_date}"
	transferTopicKind  = "transfer-runs"
)

// transfer is the scheduled extract: its config and the topic its runs' notifications go to.
type transfer struct {
	config *bigquery.DataTransferConfig
	topic  *pubsub.Topic
}

// extract creates the scheduled extract query: the rendered extract hook, run as the extract-query account,
// writing all_daily_transactions_{run_date} with WRITE_TRUNCATE, and notifying a topic of every finished run,
// which the prepare function's trigger listens to. Its automatic schedule is off: the extract function's
// Cloud Scheduler job starts it (in TIMEZONE, and never for a future run time), and so does a backfill.
func (s *stack) extract(ds *bigquery.Dataset, acc *accounts) (*transfer, error) {
	cfg := s.d.Cfg
	sql, err := ExtractQuery(cfg)
	if err != nil {
		return nil, err
	}
	topic, err := pubsub.NewTopic(s.ctx, "transfer-runs", &pubsub.TopicArgs{
		Project: pulumi.String(cfg.DefaultGCPProject),
		Name:    pulumi.String(s.n.Of(transferTopicKind)),
		Labels:  s.labels(),
	}, s.opts()...)
	if err != nil {
		return nil, err
	}
	agent, err := projects.NewServiceIdentity(s.ctx, "transfer-agent", &projects.ServiceIdentityArgs{
		Project: pulumi.String(cfg.BQLTVGCPProject), Service: pulumi.String("bigquerydatatransfer.googleapis.com"),
	}, s.opts()...)
	if err != nil {
		return nil, err
	}
	agentMember := pulumi.Sprintf("serviceAccount:%s", agent.Email)
	publish, err := pubsub.NewTopicIAMMember(s.ctx, "transfer-agent-publishes", &pubsub.TopicIAMMemberArgs{
		Project: pulumi.String(cfg.DefaultGCPProject), Topic: topic.Name,
		Role: pulumi.String("roles/pubsub.publisher"), Member: agentMember,
	}, s.opts()...)
	if err != nil {
		return nil, err
	}
	query := acc.role[roleQuery]
	actAs, err := serviceaccount.NewIAMMember(s.ctx, "transfer-agent-acts-as-query", &serviceaccount.IAMMemberArgs{
		ServiceAccountId: query.Name, Role: pulumi.String("roles/iam.serviceAccountTokenCreator"), Member: agentMember,
	}, s.opts()...)
	if err != nil {
		return nil, err
	}
	cfgRes, err := bigquery.NewDataTransferConfig(s.ctx, "extract", &bigquery.DataTransferConfigArgs{
		Project:                 pulumi.String(cfg.BQLTVGCPProject),
		Location:                pulumi.String(cfg.BQLTVGCPBroadRegion),
		DisplayName:             pulumi.String(s.n.Of("extract")),
		DataSourceId:            pulumi.String("scheduled_query"),
		DestinationDatasetId:    ds.DatasetId,
		ServiceAccountName:      query.Email,
		NotificationPubsubTopic: topic.ID(),
		ScheduleOptions:         &bigquery.DataTransferConfigScheduleOptionsArgs{DisableAutoScheduling: pulumi.Bool(true)},
		Params: pulumi.StringMap{
			"query":                           pulumi.String(sql),
			"destination_table_name_template": pulumi.String(ExtractDestination),
			"write_disposition":               pulumi.String("WRITE_TRUNCATE"),
		},
	}, s.opts(pulumi.DependsOn([]pulumi.Resource{publish, actAs}))...)
	if err != nil {
		return nil, err
	}
	return &transfer{config: cfgRes, topic: topic}, nil
}
