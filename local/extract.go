package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services/extract"
)

// Extractor is the embedded runtime's scheduled extract, the stand-in of the BigQuery Data Transfer
// Service: StartRuns queues one run per date and returns at once; a worker runs them in order
// (pipeline.Extract, with @run_date and @run_time bound as a scheduled query binds them) and publishes the
// run's TRANSFER_RUN_FINISHED notification, SUCCEEDED or FAILED with its error, as the transfer service
// publishes it to the notification topic.
type Extractor struct {
	rt    *Runtime
	pub   Publisher
	names transferNames
	now   func() time.Time
	log   *slog.Logger

	mu     sync.Mutex
	queue  []extract.Run
	wake   chan struct{}
	closed bool
	done   chan struct{}
}

var _ extract.Starter = (*Extractor)(nil)

// transferNames are the resource names of the local transfer: its config, topic and subscription.
type transferNames struct {
	project, location, config, topic, subscription string
}

func namesOf(cfg config.Config) transferNames {
	project := cfg.BQLTVGCPProject
	if project == "" {
		project = LocalProject
	}
	n := transferNames{project: project, location: "local"}
	n.config = "projects/" + project + "/locations/" + n.location + "/transferConfigs/" + cfg.DeploymentName + "-" + cfg.SolutionPrefix + "-extract"
	n.topic = "projects/" + project + "/topics/" + ExtractTopic(cfg)
	n.subscription = "projects/" + project + "/subscriptions/eventarc-" + n.location + "-" + cfg.DeploymentName + "-prepare"
	return n
}

// ExtractTopic is the notification topic of the extract: <DEPLOYMENT_NAME>.<SOLUTION_PREFIX>.daily_extract_ready.
func ExtractTopic(cfg config.Config) string {
	return cfg.DeploymentName + "." + cfg.SolutionPrefix + ".daily_extract_ready"
}

// NewExtractor returns the scheduled extract of a runtime, publishing to pub. Close stops it.
func NewExtractor(rt *Runtime, pub Publisher, now func() time.Time) *Extractor {
	if now == nil {
		now = time.Now
	}
	x := &Extractor{rt: rt, pub: pub, names: namesOf(rt.Config), now: now, log: rt.Log,
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	go x.work()
	return x
}

// StartRuns queues a run per date.
func (x *Extractor) StartRuns(_ context.Context, dates []string) ([]extract.Run, error) {
	for _, d := range dates {
		if _, err := pipeline.ParseDate(d); err != nil {
			return nil, fmt.Errorf("start extract: %w", err)
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil, errors.New("start extract: the extractor is closed")
	}
	runs := make([]extract.Run, len(dates))
	for i, d := range dates {
		runs[i] = extract.Run{Date: d, Name: x.names.config + "/runs/" + uuid.NewString()}
	}
	x.queue = append(x.queue, runs...)
	select {
	case x.wake <- struct{}{}:
	default:
	}
	return runs, nil
}

// Close stops the worker after the run in progress; queued runs are dropped.
func (x *Extractor) Close() error {
	x.mu.Lock()
	if !x.closed {
		x.closed = true
		close(x.wake)
	}
	x.mu.Unlock()
	<-x.done
	return nil
}

func (x *Extractor) work() {
	defer close(x.done)
	for range x.wake {
		for {
			x.mu.Lock()
			if x.closed || len(x.queue) == 0 {
				x.mu.Unlock()
				break
			}
			run := x.queue[0]
			x.queue = x.queue[1:]
			x.mu.Unlock()
			x.run(run)
		}
	}
}

// run extracts one date and publishes the outcome.
func (x *Extractor) run(r extract.Run) {
	ctx := context.Background()
	start := x.now().UTC()
	_, err := x.rt.Pipeline.Extract(ctx, r.Date)
	run := x.transferRun(r, start, x.now().UTC(), err)
	if err != nil {
		x.log.Error("extract failed", "stage", pipeline.StageExtract, "date", r.Date, "error", err.Error())
	}
	e, err := events.NewTransferRunFinishedEvent(events.Delivery{
		Topic: x.names.topic, Subscription: x.names.subscription, MessageID: uuid.NewString(), PublishTime: run.EndTime,
	}, run)
	if err != nil {
		x.log.Error("transfer run notification not built", "date", r.Date, "error", err.Error())
		return
	}
	if _, err := x.pub.Publish(ctx, e); err != nil {
		x.log.Error("transfer run notification not published", "date", r.Date, "error", err.Error())
	}
}

// transferRun describes a local run as the Data Transfer Service does.
func (x *Extractor) transferRun(r extract.Run, start, end time.Time, failure error) events.TransferRun {
	day, _ := pipeline.ParseDate(r.Date) // checked by StartRuns
	cfg := x.rt.Config
	run := events.TransferRun{
		Name:                 r.Name,
		DataSourceID:         "scheduled_query",
		DestinationDatasetID: cfg.BQLTVDataset,
		Params: events.TransferParams{
			Query:                        x.query(r.Date),
			DestinationTableNameTemplate: pipeline.AllDailyTransactions + "_{run_date}",
			WriteDisposition:             "WRITE_TRUNCATE",
		},
		State:                   events.TransferSucceeded,
		RunTime:                 day,
		ScheduleTime:            start,
		StartTime:               start,
		EndTime:                 end,
		UpdateTime:              end,
		UserID:                  "0",
		NotificationPubsubTopic: x.names.topic,
	}
	if failure != nil {
		run.State, run.Err = events.TransferFailed, events.NewStatus(invalidArgument, failure.Error())
	}
	return run
}

// query renders the extract hook for the notification's params, as the scheduled query's text shows there.
func (x *Extractor) query(date string) string {
	cfg := x.rt.Config
	q, err := x.rt.SQL.Render(hooks.Extract, hooks.Vars{Date: date, LagDays: cfg.ExtractLagDays,
		NewClientDays: cfg.ModelNewClientDays, SourceSharded: cfg.BQDataSourceIsSharded, Custom: cfg.CustomVariables})
	if err != nil {
		return ""
	}
	return q.Text
}
