package cli

import (
	"context"
	"strings"
	"testing"
)

// TestTrainThenEvaluate runs train and evaluate as a user does, on 80 synthetic days (from 2010-12-01) with a
// 5-day burn-in and a 7-day horizon: evaluate names the tables it computes, prints each split's and the
// mean's figures with intervals and the verdict, and prints the same the second time.
func TestTrainThenEvaluate(t *testing.T) {
	t.Setenv("MODEL_BURN_IN_DAYS", "5")
	state := initState(t, 80)
	ctx := context.Background()
	if out, err := execute(t, ctx, "train", "--state", state, "--model-date", "20110115", "--horizon", "7"); err != nil {
		t.Fatalf("train: %v\n%s", err, out)
	}
	first, err := execute(t, ctx, "evaluate", "--state", state, "--resamples", "100")
	if err != nil {
		t.Fatalf("evaluate: %v\n%s", err, first)
	}
	for _, want := range []string{
		"computing extract, prepare, filter for the 81 run dates 20101201..20110219",
		"deployed model ltv-20110115-", "(model date 20110115), horizon 7 days",
		"split 1: first purchases 20110116..", "split 4: first purchases", "mean of the 4 splits",
		"normalized Gini", "Spearman", "decile MAPE", "AUC (returning)", "top-10% value share",
		"verdict on the mean:", "the interval", "report/eval/metrics.json",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("evaluate's output lacks %q:\n%s", want, first)
		}
	}
	if out, err := execute(t, ctx, "tables", "drop", "--state", state, "--from", "20110120", "--to", "20110125"); err != nil {
		t.Fatalf("tables drop: %v\n%s", err, out)
	}
	again, err := execute(t, ctx, "evaluate", "--state", state, "--resamples", "100")
	if err != nil {
		t.Fatalf("evaluate again: %v\n%s", err, again)
	}
	if again != first {
		t.Errorf("evaluate after tables drop printed\n%s\nthe first time\n%s", again, first)
	}
}

func TestWrapWords(t *testing.T) {
	got := wrapWords("note: one two three  four five", 14)
	if want := "note: one two\nthree four\nfive"; got != want {
		t.Errorf("wrapWords = %q, want %q", got, want)
	}
}
