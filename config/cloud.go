package config

import (
	"fmt"
	"regexp"
	"time"
)

// AutoMLShutdown is when Google shut AutoML Tables down; its API serves no model since.
var AutoMLShutdown = time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)

// checkCloud requires what RUNTIME cloud needs before anything runs: the projects, and a model backend
// that Google still serves.
func (c Config) checkCloud(report func(key, reason string)) {
	if !c.IsCloud() {
		return
	}
	for _, p := range []struct{ key, value string }{
		{"DEFAULT_GCP_PROJECT", c.DefaultGCPProject},
		{"BQ_LTV_GCP_PROJECT", c.BQLTVGCPProject},
	} {
		if p.value == "" {
			report(p.key, "required when RUNTIME is cloud (RUNTIME set "+c.where("RUNTIME")+")")
		}
	}
	if c.ModelBackend == BackendAutoML {
		report("MODEL_BACKEND", fmt.Sprintf("automl cannot run when RUNTIME is cloud: Google shut AutoML Tables down on %s; "+
			"use vertex (RUNTIME set %s)", AutoMLShutdown.Format(time.DateOnly), c.where("RUNTIME")))
	}
}

// endpointIDRE is a Vertex AI endpoint id: digits without a leading zero (Vertex AI generates such ids;
// one chosen at creation has at most 9), or a lowercase name of up to 63 characters starting with a letter.
var endpointIDRE = regexp.MustCompile(`^(?:[1-9][0-9]{0,18}|[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)$`)

// checkModel requires what the model backend needs: its project and, for Vertex AI, the endpoint, which has
// an id of its own (a model id is no endpoint id), and deploy resources that make sense.
func (c Config) checkModel(report func(key, reason string)) {
	if c.ModelBackend != BackendVertex && c.ModelBackend != BackendAutoML {
		return
	}
	if c.ModelGCPProject == "" {
		report("MODEL_GCP_PROJECT", fmt.Sprintf("required when MODEL_BACKEND is %s (MODEL_BACKEND set %s)",
			c.ModelBackend, c.where("MODEL_BACKEND")))
	}
	if c.ModelBackend != BackendVertex {
		return
	}
	switch {
	case c.ModelEndpointID == "":
		report("MODEL_ENDPOINT_ID", "required when MODEL_BACKEND is vertex (MODEL_BACKEND set "+c.where("MODEL_BACKEND")+
			"): the id of the Vertex AI endpoint the model is deployed to, not the model's id")
	case !endpointIDRE.MatchString(c.ModelEndpointID):
		report("MODEL_ENDPOINT_ID", fmt.Sprintf("%q is not a Vertex AI endpoint id: want digits without a leading zero, "+
			"or a lowercase name of letters, digits and '-' starting with a letter (at most 63)", c.ModelEndpointID))
	}
	if c.ModelMaxReplicas < c.ModelMinReplicas {
		report("MODEL_MAX_REPLICAS", fmt.Sprintf("must be at least MODEL_MIN_REPLICAS (%d), got %d", c.ModelMinReplicas, c.ModelMaxReplicas))
	}
}

// checkExtractSchedule keeps the scheduled extract at most once a day: every tick starts a transfer run
// for the day, and each run goes through prepare, filter and the daily workflow again.
func (c Config) checkExtractSchedule(report func(key, reason string)) {
	cr := c.DataSourceDailyTxPoller
	if cr.Schedule == nil {
		return
	}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := cr.Next(from)
	for range 400 { // a year of ticks is enough to find two on one day
		next := cr.Next(prev)
		if next.IsZero() {
			return
		}
		if next.Sub(prev) < 23*time.Hour {
			report("DATA_SOURCE_DAILY_TX_POLLER_CONFIG", fmt.Sprintf("%q fires more than once a day (%s and %s): "+
				"every tick starts the extract of the day again; schedule it once a day, off the hour (e.g. '17 6 * * *')",
				cr.Spec, prev.Format("15:04"), next.Format("15:04")))
			return
		}
		prev = next
	}
}
