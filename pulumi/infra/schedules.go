package infra

import (
	"encoding/base64"
	"fmt"

	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/cloudscheduler"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/services/app"
)

// schedules creates the Cloud Scheduler jobs, in TIMEZONE, each calling its function with an OIDC token of
// the scheduler account: the task poller, the model stopper, and the daily extract (which starts the
// scheduled query's run for the day; the transfer's own schedule is off).
func (s *stack) schedules(acc *accounts, fns map[string]*function) error {
	cfg := s.d.Cfg
	jobs := []struct {
		fn   string
		cron config.Cron
	}{
		{app.FnPoller, cfg.LongRunningTasksPoller},
		{app.FnStopper, cfg.ModelStopperPoller},
		{app.FnExtract, cfg.DataSourceDailyTxPoller},
	}
	for _, j := range jobs {
		url := fns[j.fn].url
		_, err := cloudscheduler.NewJob(s.ctx, "schedule-"+j.fn, &cloudscheduler.JobArgs{
			Project:         pulumi.String(cfg.DefaultGCPProject),
			Region:          pulumi.String(cfg.DefaultGCPRegion),
			Name:            pulumi.String(s.n.Of(j.fn)),
			Description:     pulumi.String("pltv " + s.n.Deployment + ": calls the " + j.fn + " function"),
			Schedule:        pulumi.String(j.cron.Spec),
			TimeZone:        pulumi.String(cfg.Timezone.String()),
			AttemptDeadline: pulumi.String(fmt.Sprintf("%ds", min(specs[j.fn].timeout, 1800))),
			HttpTarget: &cloudscheduler.JobHttpTargetArgs{
				Uri:        url,
				HttpMethod: pulumi.String("POST"),
				Headers:    pulumi.StringMap{"Content-Type": pulumi.String("application/json")},
				Body:       pulumi.String(base64.StdEncoding.EncodeToString([]byte("{}"))),
				OidcToken: &cloudscheduler.JobHttpTargetOidcTokenArgs{
					ServiceAccountEmail: acc.role[roleScheduler].Email,
					Audience:            url,
				},
			},
		}, s.opts()...)
		if err != nil {
			return err
		}
	}
	return nil
}
