package pltv

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/app/cloud"
)

func TestEveryFunctionIsWired(t *testing.T) {
	// Without a cloud configuration the services cannot be built: every function says so, as it would at a
	// cold start without credentials, and nothing panics.
	t.Setenv("RUNTIME", "local")
	for _, name := range app.HTTPFunctions {
		rec := httptest.NewRecorder()
		httpFunction(name)(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s: status %d, want 503", name, rec.Code)
		}
	}
	for _, name := range app.CloudEventFunctions {
		e := event.New()
		e.SetID("1")
		e.SetSource("test")
		e.SetType("test")
		if err := cloudEventFunction(name)(context.Background(), e); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestBuildsWithoutCgo checks that the functions carry neither DuckDB nor anything else that needs cgo,
// so that the Cloud Functions buildpack builds the root package as it is.
func TestBuildsWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	cmd := exec.Command(gobin, "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list with CGO_ENABLED=0: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "duckdb") {
			t.Errorf("the functions import %s", pkg)
		}
	}
}

// TestRuntimeBuildsTheModule checks that the runtime the functions are deployed on (go126) has the Go
// version go.mod asks for: a go directive newer than the runtime's Go fails the build.
func TestRuntimeBuildsTheModule(t *testing.T) {
	data, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindSubmatch(data)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	if runtime := "go" + string(m[1]) + string(m[2]); runtime != cloud.FunctionRuntime {
		t.Errorf("go.mod says go %s.%s, which runtime %s builds; the functions are deployed on %s", m[1], m[2], runtime, cloud.FunctionRuntime)
	}
}
