// Package datatransfer is the cloud driver of the extract trigger's Starter: it starts runs of the
// scheduled extract query through the BigQuery Data Transfer Service's StartManualTransferRuns, one per run
// date, with the date's midnight (UTC) as the requested run time, so that the query sees it as @run_date.
// The service refuses a requested run time in the future, so a date whose midnight (UTC) has not come yet
// is refused here, before any call (extract.ErrFuture).
// Each run notifies the transfer config's Pub/Sub topic when it finishes (TRANSFER_RUN_FINISHED), which
// Eventarc delivers to the prepare service.
package datatransfer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	dts "cloud.google.com/go/bigquery/datatransfer/apiv1"
	"cloud.google.com/go/bigquery/datatransfer/apiv1/datatransferpb"
	"google.golang.org/api/option"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services/extract"
)

// Starter starts runs of one transfer config.
type Starter struct {
	client *dts.Client
	config string
	now    func() time.Time
}

var _ extract.Starter = (*Starter)(nil)

// New connects to the Data Transfer Service for the transfer config named
// projects/P/locations/L/transferConfigs/C. now is the clock (time.Now when nil).
func New(ctx context.Context, config string, now func() time.Time, opts ...option.ClientOption) (*Starter, error) {
	if p := strings.Split(config, "/"); len(p) != 6 || p[0] != "projects" || p[2] != "locations" || p[4] != "transferConfigs" ||
		p[1] == "" || p[3] == "" || p[5] == "" {
		return nil, fmt.Errorf("data transfer: config %q is not projects/{project}/locations/{location}/transferConfigs/{config}", config)
	}
	c, err := dts.NewClient(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to the Data Transfer Service: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Starter{client: c, config: config, now: now}, nil
}

// Close closes the connection.
func (s *Starter) Close() error { return s.client.Close() }

// StartRuns starts one run per date. The runs started before an error are returned with it.
func (s *Starter) StartRuns(ctx context.Context, dates []string) ([]extract.Run, error) {
	var runs []extract.Run
	for _, d := range dates {
		t, err := pipeline.ParseDate(d)
		if err != nil {
			return runs, fmt.Errorf("start transfer run: %w", err)
		}
		if now := s.now(); t.After(now) {
			return runs, fmt.Errorf("start transfer run of %s for %s: %w (its run time %s is after %s)",
				s.config, d, extract.ErrFuture, t.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
		resp, err := s.client.StartManualTransferRuns(ctx, &datatransferpb.StartManualTransferRunsRequest{
			Parent: s.config,
			Time:   &datatransferpb.StartManualTransferRunsRequest_RequestedRunTime{RequestedRunTime: timestamppb.New(t)},
		})
		if err != nil {
			return runs, fmt.Errorf("start transfer run of %s for %s: %w", s.config, d, err)
		}
		if len(resp.GetRuns()) == 0 {
			return runs, errors.New("start transfer run of " + s.config + " for " + d + ": no run started")
		}
		for _, r := range resp.GetRuns() {
			runs = append(runs, extract.Run{Date: d, Name: r.GetName()})
		}
	}
	return runs, nil
}
