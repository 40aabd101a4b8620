package warehouse_test

import (
	"context"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/pltv/pltv/warehouse"
)

// jobIDRE is BigQuery's rule for a job id: letters, digits, '_' and '-', at most 1,024 characters.
var jobIDRE = validJobID{regexp.MustCompile(`^[A-Za-z0-9_-]+$`)}

type validJobID struct{ re *regexp.Regexp }

func (v validJobID) MatchString(id string) bool {
	return len(id) <= warehouse.MaxJobID && v.re.MatchString(id)
}

func TestJobIDNamesDeploymentStageAndDate(t *testing.T) {
	prefix := warehouse.JobPrefix("demo", "pltv")
	if prefix != "pltv_demo_pltv" {
		t.Fatalf("JobPrefix = %q", prefix)
	}
	labels := warehouse.JobLabels("demo", "prepare", "20110301")
	id := warehouse.NewJobID(context.Background(), prefix, labels, "query")
	if !strings.HasPrefix(id, "pltv_demo_pltv_prepare_20110301_") || !jobIDRE.MatchString(id) {
		t.Errorf("job id %q", id)
	}
	if !warehouse.IsStageJob(id, prefix, "prepare") {
		t.Errorf("%q is not a prepare job of %s", id, prefix)
	}
	for _, other := range []struct{ prefix, stage string }{
		{prefix, "filter"},
		{prefix, "prep"},
		{warehouse.JobPrefix("demo2", "pltv"), "prepare"},
		{warehouse.JobPrefix("demo", "pltv2"), "prepare"},
		{warehouse.JobPrefix("dem", "pltv"), "prepare"},
	} {
		if warehouse.IsStageJob(id, other.prefix, other.stage) {
			t.Errorf("%q taken for a %s job of %s", id, other.stage, other.prefix)
		}
	}
}

func TestJobIDOfAnAttemptIsDeterministic(t *testing.T) {
	labels := warehouse.JobLabels("demo", "filter", "20110301")
	ctx := warehouse.WithAttempt(context.Background(), "projects/p/jobs/pltv_demo_pltv_prepare_20110301_abc")
	a := warehouse.NewJobID(ctx, "pltv_demo_pltv", labels, "query", "p.pltv.t_20110301", "SELECT 1")
	b := warehouse.NewJobID(ctx, "pltv_demo_pltv", labels, "query", "p.pltv.t_20110301", "SELECT 1")
	if a != b {
		t.Errorf("one attempt of one job got two ids: %q, %q", a, b)
	}
	if c := warehouse.NewJobID(ctx, "pltv_demo_pltv", labels, "query", "p.pltv.u_20110301", "SELECT 1"); c == a {
		t.Errorf("two jobs of one attempt share the id %q", a)
	}
	other := warehouse.WithAttempt(context.Background(), "projects/p/jobs/another")
	if c := warehouse.NewJobID(other, "pltv_demo_pltv", labels, "query", "p.pltv.t_20110301", "SELECT 1"); c == a {
		t.Errorf("two attempts share the id %q", a)
	}
	r1 := warehouse.NewJobID(context.Background(), "pltv_demo_pltv", labels, "query")
	r2 := warehouse.NewJobID(context.Background(), "pltv_demo_pltv", labels, "query")
	if r1 == r2 {
		t.Errorf("two jobs without an attempt share the id %q", r1)
	}
}

func TestJobIDWithoutLabels(t *testing.T) {
	id := warehouse.NewJobID(context.Background(), "", nil)
	if !strings.HasPrefix(id, "pltv_job_") || !jobIDRE.MatchString(id) {
		t.Errorf("job id %q", id)
	}
}

func TestJobPathPatternMatchesTheStagesJobs(t *testing.T) {
	prefix := warehouse.JobPrefix("demo", "pltv")
	pattern := warehouse.JobPathPattern("pltv-demo", prefix, "prepare")
	if pattern != "projects/pltv-demo/jobs/pltv_demo_pltv_prepare_*" {
		t.Fatalf("pattern %q", pattern)
	}
	ctx := warehouse.WithAttempt(context.Background(), "run-1")
	tests := []struct {
		resource string
		want     bool
	}{
		{"projects/pltv-demo/jobs/" + warehouse.NewJobID(ctx, prefix, warehouse.JobLabels("demo", "prepare", "20110301")), true},
		{"projects/pltv-demo/jobs/" + warehouse.NewJobID(ctx, prefix, warehouse.JobLabels("demo", "filter", "20110301")), false},
		{"projects/pltv-demo/jobs/" + warehouse.NewJobID(ctx, warehouse.JobPrefix("other", "pltv"), warehouse.JobLabels("other", "prepare", "20110301")), false},
		{"projects/pltv-demo/jobs/job_r8Tq2Lk3Vz9XwP4bN7sYc1Hd", false},
		{"projects/pltv-demo/datasets/pltv/tables/prepared_daily_transactions_20110301", false},
		{"projects/other/jobs/pltv_demo_pltv_prepare_20110301_x", false},
	}
	for _, tt := range tests {
		// Eventarc's '*' matches within one path segment, as path.Match's does.
		got, err := path.Match(pattern, tt.resource)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s matches %s: %v, want %v", pattern, tt.resource, got, tt.want)
		}
		id, ok := warehouse.JobIDOfResource(tt.resource)
		if isJob := ok && warehouse.IsStageJob(id, prefix, "prepare") && strings.HasPrefix(tt.resource, "projects/pltv-demo/"); isJob != tt.want {
			t.Errorf("IsStageJob of %s: %v, want %v", tt.resource, isJob, tt.want)
		}
	}
}

func TestRetryJobID(t *testing.T) {
	if got := warehouse.RetryJobID("pltv_demo_pltv_prepare_20110301_ab", 2); got != "pltv_demo_pltv_prepare_20110301_ab_r2" {
		t.Errorf("RetryJobID = %q", got)
	}
	long := strings.Repeat("a", warehouse.MaxJobID)
	if got := warehouse.RetryJobID(long, 12); len(got) != warehouse.MaxJobID || !strings.HasSuffix(got, "_r12") {
		t.Errorf("RetryJobID of a long id: %d characters, %q", len(got), got[len(got)-8:])
	}
}

func FuzzNewJobID(f *testing.F) {
	f.Add("demo", "pltv", "prepare", "20110301", "key", "SELECT 1")
	f.Add("a b/c", "ünï", "", "", "", "")
	f.Add(strings.Repeat("x", 2000), "p", "s", "d", "k", "")
	f.Fuzz(func(t *testing.T, deployment, solution, stage, date, key, part string) {
		ctx := context.Background()
		if key != "" {
			ctx = warehouse.WithAttempt(ctx, key)
		}
		prefix := warehouse.JobPrefix(deployment, solution)
		id := warehouse.NewJobID(ctx, prefix, warehouse.JobLabels(deployment, stage, date), part)
		if !jobIDRE.MatchString(id) {
			t.Fatalf("invalid job id %q", id)
		}
		if len(id) < warehouse.MaxJobID && stage != "" && !warehouse.IsStageJob(id, prefix, stage) {
			t.Fatalf("%q is not a %q job of %q", id, stage, prefix)
		}
		if !jobIDRE.MatchString(warehouse.RetryJobID(id, 3)) {
			t.Fatalf("invalid retry id of %q", id)
		}
	})
}
