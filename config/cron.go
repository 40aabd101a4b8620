package config

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// parseCron parses a five-field unix-cron schedule with robfig/cron's standard parser. Descriptors
// (@hourly, @every 1h) and TZ= prefixes are refused: Cloud Scheduler takes neither, and TIMEZONE sets the
// zone for every schedule.
func parseCron(spec string) (Cron, error) {
	s := strings.TrimSpace(spec)
	switch {
	case s == "":
		return Cron{}, errors.New("empty cron schedule")
	case strings.HasPrefix(s, "@"), strings.HasPrefix(s, "TZ="), strings.HasPrefix(s, "CRON_TZ="):
		return Cron{}, fmt.Errorf("invalid cron schedule %q: want five unix-cron fields "+
			"(minute hour day-of-month month day-of-week) as Cloud Scheduler takes them; TIMEZONE sets the zone", spec)
	}
	sched, err := cron.ParseStandard(s)
	if err != nil {
		return Cron{}, fmt.Errorf("invalid cron schedule %q: %v", spec, err)
	}
	return Cron{Spec: s, Schedule: sched}, nil
}

// applyZone makes every schedule of c run in c.Timezone.
func (c *Config) applyZone() {
	for _, cr := range []*Cron{&c.ModelStopperPoller, &c.DataSourceDailyTxPoller, &c.LongRunningTasksPoller} {
		if s, ok := cr.Schedule.(*cron.SpecSchedule); ok && c.Timezone != nil {
			s.Location = c.Timezone
		}
	}
}

// Next returns the first activation of the schedule after t, or the zero time when it has no schedule.
func (c Cron) Next(t time.Time) time.Time {
	if c.Schedule == nil {
		return time.Time{}
	}
	return c.Schedule.Next(t)
}

// String returns the schedule as written.
func (c Cron) String() string { return c.Spec }
