package infra

import (
	"strings"
	"testing"
)

func TestNamesFit(t *testing.T) {
	n := NewNames("acme_eu", "pltv")
	if got := n.Of("predictstart"); got != "acme-eu-pltv-predictstart" {
		t.Errorf("Of = %q", got)
	}
	long := NewNames(strings.Repeat("a", 40), "pltv")
	a, b := long.Account("fn-predict"), long.Account("fn-predictstart")
	if len(a) > maxAccountID || len(b) > maxAccountID || a == b {
		t.Errorf("long account ids %q, %q", a, b)
	}
}

// FuzzNames checks that every derived name keeps Google's length limits and that the names of one
// deployment's kinds stay apart however long its names are.
func FuzzNames(f *testing.F) {
	f.Add("demo", "pltv")
	f.Add(strings.Repeat("x", 63), strings.Repeat("y", 63))
	f.Fuzz(func(t *testing.T, deployment, prefix string) {
		n := NewNames(deployment, prefix)
		seen := map[string]string{}
		for _, kind := range []string{"extract", "prepare", "filter", "predictstart", "predict", "model", "poller", "stopper"} {
			for name, max := range map[string]int{n.Of(kind): maxName, n.Account("fn-" + kind): maxAccountID} {
				if len(name) > max {
					t.Fatalf("%q: %d characters, at most %d", name, len(name), max)
				}
				if other, ok := seen[name]; ok && other != kind {
					t.Fatalf("%s and %s share the name %q", other, kind, name)
				}
				seen[name] = kind
			}
		}
		if b := n.Bucket("some-project-id"); len(b) > maxName {
			t.Fatalf("bucket %q", b)
		}
	})
}
