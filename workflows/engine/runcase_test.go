package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows/engine"
)

// testStart is when the fake clock of every test starts.
var testStart = time.Date(2024, 7, 12, 12, 0, 0, 0, time.UTC)

// runCase is one workflow run and what it must give: a result (as canonical JSON), or an uncaught error
// with its tags and the step that raised it. steps, when not zero, is the number of billed steps.
type runCase struct {
	name    string
	src     string
	arg     any
	want    string
	tags    []string
	payload string // the whole error payload as JSON, when the test cares
	step    string
	steps   int64
}

func runCases(t *testing.T, cases []runCase, opts func() engine.Options) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := engine.Options{}
			if opts != nil {
				o = opts()
			}
			if o.Clock == nil {
				o.Clock = engine.NewFakeClock(testStart)
			}
			checkRun(t, tc, o)
		})
	}
}

func checkRun(t *testing.T, tc runCase, o engine.Options) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, stats, err := engine.Run(ctx, []byte(tc.src), tc.arg, o)
	if tc.tags != nil || tc.payload != "" {
		var ee *engine.ExecutionError
		if !errors.As(err, &ee) {
			t.Fatalf("Run() error = %v, want an execution error", err)
		}
		if tc.tags != nil {
			if diff := cmp.Diff(tc.tags, ee.Tags()); diff != "" {
				t.Errorf("error tags mismatch (-want +got):\n%s\npayload: %s", diff, ee.PayloadJSON())
			}
		}
		if tc.payload != "" {
			if diff := cmp.Diff(tc.payload, ee.PayloadJSON()); diff != "" {
				t.Errorf("error payload mismatch (-want +got):\n%s", diff)
			}
		}
		if tc.step != "" && ee.Step() != tc.step {
			t.Errorf("error raised in step %q, want %q (trace %+v)", ee.Step(), tc.step, ee.Trace)
		}
	} else {
		if err != nil {
			t.Fatalf("Run() error = %v", err)
		}
		b, err := engine.MarshalJSON(got, false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, string(b)); diff != "" {
			t.Errorf("result mismatch (-want +got):\n%s", diff)
		}
	}
	if tc.steps != 0 && stats.Steps != tc.steps {
		t.Errorf("billed steps = %d, want %d", stats.Steps, tc.steps)
	}
}
