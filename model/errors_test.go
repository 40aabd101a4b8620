package model_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/model"
)

func TestIsRetryable(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", base, false},
		{"marked", model.Retryable(base), true},
		{"marked and wrapped", fmt.Errorf("predict: %w", model.Retryable(base)), true},
		{"deadline exceeded", fmt.Errorf("predict: %w", context.DeadlineExceeded), true},
		{"canceled", context.Canceled, false},
		{"busy", fmt.Errorf("deploy: %w", model.ErrBusy), true},
		{"not deployed", model.ErrNotDeployed, false},
		{"row error", model.RowErrorf(3, "bad"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := model.IsRetryable(tt.err); got != tt.want {
				t.Errorf("IsRetryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestRetryableNil(t *testing.T) {
	if err := model.Retryable(nil); err != nil {
		t.Errorf("Retryable(nil) = %v, want nil", err)
	}
}

func TestFailedRows(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []int
	}{
		{"nil", nil, nil},
		{"no rows", errors.New("x"), nil},
		{"one wrapped", fmt.Errorf("predict: %w", model.RowErrorf(4, "bad")), []int{4}},
		{"joined unsorted with duplicate", fmt.Errorf("predict: %w", model.JoinRowErrors([]*model.RowError{
			model.RowErrorf(7, "a"), model.RowErrorf(2, "b"), model.RowErrorf(7, "c"),
		})), []int{2, 7}},
		{"inside errors.Join", errors.Join(errors.New("x"), model.RowErrorf(1, "y")), []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, model.FailedRows(tt.err)); diff != "" {
				t.Errorf("FailedRows mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJoinRowErrorsFirstRow(t *testing.T) {
	err := model.JoinRowErrors([]*model.RowError{model.RowErrorf(9, "late"), model.RowErrorf(2, "early")})
	re, ok := errors.AsType[*model.RowError](err)
	if !ok || re.Row != 2 {
		t.Fatalf("errors.As found %v, want row 2", re)
	}
	if got, want := re.Error(), "row 2: early"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if model.JoinRowErrors(nil) != nil {
		t.Error("JoinRowErrors(nil) != nil")
	}
}
