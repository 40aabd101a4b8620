package infra

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/pltv/pltv/config"
)

// Deployment is a checked plan's settings: what Deploy builds resources from.
type Deployment struct {
	Inputs
	Cfg      config.Config
	File     string            // the pltv.yaml read, absolute
	Text     []byte            // its content, shipped with the functions' source
	Settings map[string]string // the stack's overrides, set on every function too
	Names    Names
}

// modelDateRE is a YYYYMMDD date.
var modelDateRE = regexp.MustCompile(`^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$`)

// Plan loads the deployment's pltv.yaml with the stack's overrides and checks that it has what the cloud
// needs. Every problem is reported at once, each naming its key; nothing is planned when there is one.
func Plan(in Inputs) (Deployment, error) {
	if in.Root == "" {
		root, err := moduleRoot()
		if err != nil {
			return Deployment{}, err
		}
		in.Root = root
	}
	if in.Config == "" {
		in.Config = config.DefaultPath
	}
	if in.Firestore == "" {
		in.Firestore = FirestoreCreate
	}
	file := in.Config
	if !filepath.IsAbs(file) {
		file = filepath.Join(in.Root, file)
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return Deployment{}, fmt.Errorf("pltv:config: %w", err)
	}
	lookup := func(k string) (string, bool) { v, ok := in.Settings[k]; return v, ok }
	cfg, cps, err := config.Inspect(file, lookup)
	if err != nil {
		return Deployment{}, fmt.Errorf("pltv:config: %w", err)
	}
	var problems []string
	reported := map[string]bool{}
	for _, p := range cps {
		problems = append(problems, p.Error())
		reported[p.Key] = true
	}
	for _, p := range deployProblems(in, cfg) {
		if !reported[p.key] {
			problems = append(problems, p.String())
		}
	}
	if len(problems) > 0 {
		return Deployment{}, errors.New("the deployment's configuration is not complete; nothing was planned:\n  " +
			strings.Join(problems, "\n  "))
	}
	return Deployment{Inputs: in, Cfg: cfg, File: file, Text: text, Settings: in.Settings,
		Names: NewNames(cfg.DeploymentName, cfg.SolutionPrefix)}, nil
}

// problem is one thing a deployment lacks, at its key (a pltv.yaml key, or pltv:<name> of the stack).
type problem struct{ key, reason string }

func (p problem) String() string { return p.key + ": " + p.reason }

// deployProblems are what a deployment needs beyond a valid configuration.
func deployProblems(in Inputs, cfg config.Config) []problem {
	var ps []problem
	add := func(key, format string, args ...any) { ps = append(ps, problem{key, fmt.Sprintf(format, args...)}) }
	if in.AlertEmail == "" && in.AlertChannel == "" {
		add("pltv:alertEmail", "required (or pltv:alertChannel): where a failed run or a service error is reported")
	}
	if in.ModelDate != "" && !modelDateRE.MatchString(in.ModelDate) {
		add("pltv:modelDate", "%q is not a date YYYYMMDD", in.ModelDate)
	}
	if in.ModelName != "" && (in.ModelDate == "" || in.ModelID == "") {
		add("pltv:modelName", "a metadata row needs pltv:modelDate and pltv:modelId too")
	}
	if in.ModelID != "" && !modelIDRE.MatchString(in.ModelID) {
		add("pltv:modelId", "%q is not a Vertex AI model id (digits, or a name of letters, digits, '_' and '-')", in.ModelID)
	}
	if !slices.Contains([]string{FirestoreCreate, FirestoreExisting}, in.Firestore) {
		add("pltv:firestore", "%q: want %s or %s", in.Firestore, FirestoreCreate, FirestoreExisting)
	}
	if !cfg.IsCloud() {
		add("RUNTIME", "%s: a deployment runs with RUNTIME cloud (set it in the file or in pltv:settings)", cfg.Runtime)
	}
	required := []struct{ key, value string }{
		{"DEFAULT_GCP_PROJECT", cfg.DefaultGCPProject},
		{"DEFAULT_GCP_REGION", cfg.DefaultGCPRegion},
		{"BQ_LTV_GCP_PROJECT", cfg.BQLTVGCPProject},
		{"BQ_LTV_GCP_BROAD_REGION", cfg.BQLTVGCPBroadRegion},
		{"MODEL_GCP_PROJECT", cfg.ModelGCPProject},
		{"MODEL_REGION", cfg.ModelRegion},
		{"MODEL_ENDPOINT_ID", cfg.ModelEndpointID},
	}
	for _, r := range required {
		if r.value == "" {
			add(r.key, "required for a deployment")
		}
	}
	if cfg.BQLTVGCPProject != "" && cfg.DefaultGCPProject != "" && cfg.BQLTVGCPProject != cfg.DefaultGCPProject {
		add("BQ_LTV_GCP_PROJECT", "%s differs from DEFAULT_GCP_PROJECT %s: the filter and predict-start triggers hear the "+
			"BigQuery audit log of their own project, so the jobs must run there", cfg.BQLTVGCPProject, cfg.DefaultGCPProject)
	}
	if cfg.ModelBackend != config.BackendVertex {
		add("MODEL_BACKEND", "%s: a deployment serves the model from Vertex AI (vertex)", cfg.ModelBackend)
	}
	if id := cfg.ModelEndpointID; id != "" && !endpointIDRE.MatchString(id) {
		add("MODEL_ENDPOINT_ID", "%q: the endpoint Pulumi creates takes a numeric id without a leading zero, at most 9 digits (Vertex AI's CreateEndpoint)", id)
	}
	if cfg.HooksDir != "" && filepath.Dir(filepathAbs(in.Config, in.Root)) != in.Root {
		add("HOOKS_DIR", "the functions read the hooks directory relative to pltv.yaml: a file naming one must be at the module root")
	}
	if cfg.HooksDir != "" {
		if rel, err := filepath.Rel(in.Root, cfg.HooksDir); err != nil || strings.HasPrefix(rel, "..") {
			add("HOOKS_DIR", "%s is outside the module %s, so the functions' source would not carry it", cfg.HooksDir, in.Root)
		}
	}
	for _, reason := range NewNames(cfg.DeploymentName, cfg.SolutionPrefix).problems() {
		add("DEPLOYMENT_NAME", "%s", reason)
	}
	return ps
}

// modelIDRE is a Vertex AI model id.
var modelIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`)

// endpointIDRE is the id of a Vertex AI endpoint chosen at creation.
var endpointIDRE = regexp.MustCompile(`^[1-9][0-9]{0,8}$`)

func filepathAbs(p, root string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(root, p)
}

// moduleRoot is the directory of pltv's go.mod, found from the working directory up (Pulumi runs the
// program in pulumi/ or at the project root).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/pltv/pltv\n") {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod of github.com/pltv/pltv above %s", dir)
		}
	}
}
