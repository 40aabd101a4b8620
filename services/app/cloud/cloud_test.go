package cloud_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/app/cloud"
)

func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestNewRefuses(t *testing.T) {
	cloudEnv := map[string]string{"RUNTIME": "cloud", "DEFAULT_GCP_PROJECT": "pltv-demo", "BQ_LTV_GCP_PROJECT": "pltv-demo",
		"MODEL_GCP_PROJECT": "pltv-demo", "MODEL_BACKEND": "vertex", "MODEL_ENDPOINT_ID": "123456789"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range cloudEnv {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"the local runtime", map[string]string{}, "RUNTIME is local"},
		{"no transfer config where extract runs", with(cloud.EnvFunctionTarget, "extract"), cloud.EnvTransferConfig + " is not set"},
		{"no transfer config where every function runs", with(), cloud.EnvTransferConfig + " is not set"},
		{"a bad log level", with(cloud.EnvTransferConfig, "projects/p/locations/eu/transferConfigs/c", cloud.EnvLogLevel, "loud"), cloud.EnvLogLevel},
		{"a bad setting", with("MAX_TASKS_PER_POLL", "many"), "MAX_TASKS_PER_POLL"},
		{"a missing config file", with(cloud.EnvConfig, "/nonexistent/pltv.yaml"), "read config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := cloud.New(context.Background(), cloud.Options{Lookup: lookup(tt.env), Output: io.Discard, Config: []byte{}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one naming %q", err, tt.want)
			}
		})
	}
}

// TestConfigSource checks where a deployed function's configuration comes from: the file embedded at build
// time, with relative paths resolved against the function's source directory, or the file PLTV_CONFIG
// names, which must exist; never the defaults.
func TestConfigSource(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, cloud.FunctionSourceDir)
	if err := os.MkdirAll(filepath.Join(src, "sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	embedded := []byte("RUNTIME: local\nDEPLOYMENT_NAME: embedded\nHOOKS_DIR: sql\n")
	if err := os.WriteFile(filepath.Join(src, "other.yaml"), []byte("RUNTIME: local\nMAX_TASKS_PER_POLL: 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		env      map[string]string
		embedded []byte
		want     string // in the error
	}{
		{"the embedded file", nil, embedded, "RUNTIME is local"},
		{"a named file, relative to the source", map[string]string{cloud.EnvConfig: "other.yaml"}, embedded,
			filepath.Join(src, "other.yaml") + ":2: MAX_TASKS_PER_POLL"},
		{"a named file that is missing", map[string]string{cloud.EnvConfig: "gone.yaml"}, embedded,
			filepath.Join(src, "gone.yaml") + ": no such file"},
		{"neither", nil, nil, "no configuration: PLTV_CONFIG is not set and none was embedded"},
		{"an embedded file with a problem", map[string]string{"MAX_TASKS_PER_POLL": "0"}, embedded, "MAX_TASKS_PER_POLL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := cloud.New(context.Background(), cloud.Options{Lookup: lookup(tt.env), Output: io.Discard,
				Config: tt.embedded, SourceDir: src})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one naming %q", err, tt.want)
			}
		})
	}
	t.Run("relative paths", func(t *testing.T) {
		t.Chdir(dir)
		if got := cloud.SourceDir(); got != cloud.FunctionSourceDir {
			t.Errorf("SourceDir() = %q in a function's working directory", got)
		}
		cfg, err := config.LoadData(filepath.Join(cloud.SourceDir(), config.DefaultPath), embedded, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(cloud.FunctionSourceDir, "sql"); cfg.HooksDir != want {
			t.Errorf("HOOKS_DIR = %q, want %q", cfg.HooksDir, want)
		}
	})
}

func TestModelsOpenOncePerModel(t *testing.T) {
	cfg := config.Default()
	cfg.ModelBackend, cfg.ModelGCPProject, cfg.ModelRegion = config.BackendVertex, "pltv-demo", "europe-west1"
	cfg.ModelEndpointID = "4242"
	// Clients connect lazily: a closed port is enough to build them.
	m := cloud.NewModels(cfg, nil, option.WithEndpoint("127.0.0.1:1"), option.WithoutAuthentication(),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
	defer m.Close()
	ctx := context.Background()
	a, err := m.Open(ctx, pipeline.Model{Name: "ltv", ID: "123"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Open(ctx, pipeline.Model{Name: "ltv", ID: "123"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := m.Open(ctx, pipeline.Model{Name: "ltv2", ID: "456"})
	if err != nil {
		t.Fatal(err)
	}
	if a != b || a == c {
		t.Error("want one client per model")
	}
	cfg.ModelBackend = config.BackendLocal
	if _, err := cloud.NewModels(cfg, nil).Open(ctx, pipeline.Model{Name: "ltv"}); err == nil {
		t.Error("the local backend opened on Google Cloud")
	}
}

func TestLazyRetriesAFailedBuild(t *testing.T) {
	calls := 0
	want := &app.App{}
	l := cloud.NewLazy(func(context.Context) (*app.App, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("metadata server unreachable")
		}
		return want, nil
	})
	ctx := context.Background()
	if _, err := l.Get(ctx); err == nil {
		t.Fatal("first build did not fail")
	}
	for range 2 {
		got, err := l.Get(ctx)
		if err != nil || got != want {
			t.Fatalf("Get = %v, %v", got, err)
		}
	}
	if calls != 2 {
		t.Errorf("built %d times, want 2", calls)
	}
}
