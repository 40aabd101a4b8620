package pipeline_test

import (
	"context"
	"errors"

	"github.com/pltv/pltv/warehouse"
)

var errReached = errors.New("the warehouse was reached")

// refusingWarehouse fails every call, so that a test sees whether anything reached it.
type refusingWarehouse struct{}

func (refusingWarehouse) Query(context.Context, warehouse.QueryJob) (warehouse.JobResult, error) {
	return warehouse.JobResult{}, errReached
}
func (refusingWarehouse) Load(context.Context, warehouse.LoadJob) (warehouse.JobResult, error) {
	return warehouse.JobResult{}, errReached
}
func (refusingWarehouse) Copy(context.Context, warehouse.CopyJob) (warehouse.JobResult, error) {
	return warehouse.JobResult{}, errReached
}
func (refusingWarehouse) Read(context.Context, warehouse.ReadRequest, func(warehouse.Batch) error) error {
	return errReached
}
func (refusingWarehouse) Insert(context.Context, warehouse.Ref, warehouse.Schema, []warehouse.Row) error {
	return errReached
}
func (refusingWarehouse) Table(context.Context, warehouse.Ref) (warehouse.TableInfo, error) {
	return warehouse.TableInfo{}, errReached
}
func (refusingWarehouse) Tables(context.Context, warehouse.Dataset, string) ([]warehouse.TableInfo, error) {
	return nil, errReached
}
func (refusingWarehouse) Drop(context.Context, warehouse.Ref) error { return errReached }
func (refusingWarehouse) Close() error                              { return nil }
