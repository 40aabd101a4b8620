package infra_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

var update = flag.Bool("update", false, "rewrite testdata/plan.golden from the planned resources")

// contentHashes are the parts of names derived from file contents, masked in the golden file so that it
// changes with the plan, not with every edit of the source.
var contentHashes = regexp.MustCompile(`source-[0-9a-f]{16}\.zip|-[0-9a-f]{12}\.csv|_[0-9a-f]{12}$`)

// TestPlanGolden writes the planned resources and their inputs as text, for a reviewer to read the plan
// (testdata/plan.golden); -update rewrites it.
func TestPlanGolden(t *testing.T) {
	m, _, _ := deploy(t, testInputs())
	got := render(m.res)
	const file = "testdata/plan.golden"
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test ./pulumi/infra -run TestPlanGolden -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("the plan differs from %s (-want +got); if the change is meant, rerun with -update:\n%s", file, diff)
	}
}

func render(res []planned) string {
	sorted := slices.Clone(res)
	slices.SortFunc(sorted, func(a, b planned) int {
		return strings.Compare(a.Type+" "+a.Name, b.Type+" "+b.Name)
	})
	var b strings.Builder
	fmt.Fprintf(&b, "# The resources of the test deployment (testdata/pltv.yaml): %d.\n", len(sorted))
	fmt.Fprintf(&b, "# Regenerate: go test ./pulumi/infra -run TestPlanGolden -update\n")
	for _, r := range sorted {
		var js strings.Builder
		enc := json.NewEncoder(&js)
		enc.SetEscapeHTML(false)
		enc.SetIndent("  ", "  ")
		if err := enc.Encode(mask(resource.NewObjectProperty(r.Inputs))); err != nil {
			js.WriteString(err.Error())
		}
		fmt.Fprintf(&b, "\n%s %s\n  %s", r.Type, r.Name, js.String())
	}
	return b.String()
}

// mask turns a property value into plain data; the archive, the workflow sources and the extract query,
// which change with the files they come from rather than with the plan, into a line naming them.
func mask(v resource.PropertyValue) any {
	switch {
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			if k == "sourceContents" && e.IsString() { // edited with the workflows, not with the plan
				out[string(k)] = "<a workflows/*.yaml file as it is: TestWorkflowsCarryTheFiles>"
				continue
			}
			if k == "query" && e.IsString() { // edited with the extract hook
				out[string(k)] = "<hooks/sql/extract.sql rendered: TestScheduledExtract>"
				continue
			}
			out[string(k)] = mask(e)
		}
		return out
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, mask(e))
		}
		return out
	case v.IsArchive():
		return "<archive: the module's source and the deployment's pltv.yaml>"
	case v.IsAsset():
		return "<a file's content>"
	case v.IsString():
		return contentHashes.ReplaceAllStringFunc(v.StringValue(), func(s string) string {
			return regexp.MustCompile(`[0-9a-f]{12,}`).ReplaceAllString(s, "<hash>")
		})
	case v.IsNull(), v.IsComputed():
		return nil
	}
	return v.V
}
