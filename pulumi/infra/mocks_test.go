package infra_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/pulumi/infra"
)

// planned is one resource the program registered, with its inputs.
type planned struct {
	Type, Name string
	Inputs     resource.PropertyMap
}

// str is a string input at a path of keys (nested objects), "" when absent.
func (p planned) str(path ...string) string {
	v, ok := p.get(path...)
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

func (p planned) get(path ...string) (resource.PropertyValue, bool) {
	v := resource.NewObjectProperty(p.Inputs)
	for _, k := range path {
		if v.IsComputed() || !v.IsObject() {
			return resource.PropertyValue{}, false
		}
		var ok bool
		if v, ok = v.ObjectValue()[resource.PropertyKey(k)]; !ok {
			return resource.PropertyValue{}, false
		}
	}
	return v, true
}

// strMap is a map of strings input.
func (p planned) strMap(path ...string) map[string]string {
	v, ok := p.get(path...)
	if !ok || !v.IsObject() {
		return nil
	}
	out := map[string]string{}
	for k, e := range v.ObjectValue() {
		if e.IsString() {
			out[string(k)] = e.StringValue()
		}
	}
	return out
}

// mocks records the resources and answers with outputs shaped like Google's.
type mocks struct {
	mu  sync.Mutex
	res []planned
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.res = append(m.res, planned{Type: args.TypeToken, Name: args.Name, Inputs: args.Inputs})
	m.mu.Unlock()
	out := args.Inputs.Copy()
	in := func(k string) string {
		if v, ok := args.Inputs[resource.PropertyKey(k)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	set := func(k, v string) { out[resource.PropertyKey(k)] = resource.NewStringProperty(v) }
	id := args.Name + "-id"
	switch args.TypeToken {
	case "gcp:serviceaccount/account:Account":
		email := in("accountId") + "@" + in("project") + ".iam.gserviceaccount.com"
		set("email", email)
		set("name", "projects/"+in("project")+"/serviceAccounts/"+email)
	case "gcp:cloudfunctionsv2/function:Function":
		set("url", "https://"+in("location")+"-"+in("project")+".cloudfunctions.net/"+in("name"))
		sc := resource.PropertyMap{}
		if v, ok := args.Inputs["serviceConfig"]; ok && v.IsObject() {
			sc = v.ObjectValue().Copy()
		}
		sc["service"] = resource.NewStringProperty(in("name"))
		sc["uri"] = resource.NewStringProperty(runURL(in("name")))
		out["serviceConfig"] = resource.NewObjectProperty(sc)
	case "gcp:pubsub/topic:Topic":
		id = "projects/" + in("project") + "/topics/" + in("name")
	case "gcp:bigquery/dataTransferConfig:DataTransferConfig":
		set("name", "projects/"+in("project")+"/locations/"+strings.ToLower(in("location"))+"/transferConfigs/6a1b2c3d")
	case "gcp:projects/iAMCustomRole:IAMCustomRole":
		set("name", "projects/"+in("project")+"/roles/"+in("roleId"))
	case "gcp:projects/serviceIdentity:ServiceIdentity":
		set("email", "service-123456789@gcp-sa-"+strings.TrimSuffix(in("service"), ".googleapis.com")+".iam.gserviceaccount.com")
	case "gcp:monitoring/notificationChannel:NotificationChannel":
		set("name", "projects/"+in("project")+"/notificationChannels/42")
	}
	return id, out, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, fmt.Errorf("unexpected call %s", args.Token)
}

// runURL is the run.app URL the mocks give a function's service.
func runURL(name string) string { return "https://" + name + "-x7k2q9-ew.a.run.app" }

// ofType returns the planned resources of a type token, by name.
func (m *mocks) ofType(typ string) []planned {
	var out []planned
	for _, r := range m.res {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b planned) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (m *mocks) named(t *testing.T, typ, name string) planned {
	t.Helper()
	for _, r := range m.ofType(typ) {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no %s named %s", typ, name)
	return planned{}
}

// testInputs are the stack inputs of the test deployment.
func testInputs() infra.Inputs {
	return infra.Inputs{Config: "pulumi/infra/testdata/pltv.yaml", AlertEmail: "ops@acme.example", ModelDate: "20240101",
		ModelName: "ltv", ModelID: "4567890123"}
}

// deploy plans and deploys in under the mocks.
func deploy(t *testing.T, in infra.Inputs) (*mocks, *infra.Outputs, infra.Deployment) {
	t.Helper()
	m := &mocks{}
	var out *infra.Outputs
	var d infra.Deployment
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var err error
		if d, err = infra.Plan(in); err != nil {
			return err
		}
		out, err = infra.Deploy(ctx, d)
		return err
	}, pulumi.WithMocks("pltv", "test", m))
	if err != nil {
		t.Fatal(err)
	}
	return m, out, d
}
