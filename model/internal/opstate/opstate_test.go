package opstate_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/opstate"
)

func TestStatus(t *testing.T) {
	at := func(s int) time.Time { return time.Date(2020, 7, 10, 0, 0, s, 0, time.UTC) }
	deploy := func(s int, done bool, err string) opstate.Op {
		return opstate.Op{Kind: opstate.Deploy, Done: done, Created: at(s), Err: err}
	}
	undeploy := func(s int, done bool) opstate.Op {
		return opstate.Op{Kind: opstate.Undeploy, Done: done, Created: at(s)}
	}
	other := opstate.Op{Kind: opstate.Other, Created: at(99)}
	tests := []struct {
		name    string
		serving bool
		ops     []opstate.Op
		want    model.Status
	}{
		{"never deployed", false, nil, model.Status{State: model.Undeployed}},
		{"deploying", false, []opstate.Op{deploy(1, false, "")}, model.Status{State: model.Deploying}},
		{"deployed", true, []opstate.Op{deploy(1, true, "")}, model.Status{State: model.Deployed}},
		{"deployed out of band", true, nil, model.Status{State: model.Deployed}},
		{"undeploying", true, []opstate.Op{deploy(1, true, ""), undeploy(2, false)}, model.Status{State: model.Undeploying}},
		{"undeployed", false, []opstate.Op{deploy(1, true, ""), undeploy(2, true)}, model.Status{State: model.Undeployed}},
		{"failed", false, []opstate.Op{deploy(1, true, "no capacity")}, model.Status{State: model.Failed, Reason: "no capacity"}},
		{"failed after an earlier success", false, []opstate.Op{deploy(1, true, ""), undeploy(2, true), deploy(3, true, "quota")},
			model.Status{State: model.Failed, Reason: "quota"}},
		{"redeploying after a failure", false, []opstate.Op{deploy(1, true, "quota"), deploy(2, false, "")}, model.Status{State: model.Deploying}},
		{"redeployed after a failure", true, []opstate.Op{deploy(1, true, "quota"), deploy(2, true, "")}, model.Status{State: model.Deployed}},
		{"operations listed newest first", false, []opstate.Op{deploy(3, true, "quota"), deploy(1, true, "")}, model.Status{State: model.Failed, Reason: "quota"}},
		{"undeployed since the failure", false, []opstate.Op{deploy(1, true, "quota"), undeploy(2, true)}, model.Status{State: model.Undeployed}},
		{"other operations ignored", false, []opstate.Op{other}, model.Status{State: model.Undeployed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, opstate.Status(tt.serving, tt.ops)); diff != "" {
				t.Errorf("Status (-want +got):\n%s", diff)
			}
		})
	}
}
