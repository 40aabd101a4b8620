package faults_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/internal/onlineretail"
	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/warehouse"
)

// The range every case backfills: eight run dates over the first week of December 2010 (one of them, a
// Sunday's data day, without trading).
const (
	from = "20101202"
	to   = "20101209"
)

var (
	pltv     string // the binary
	template string // a state initialised with the source days, copied by each case
	source   string // the source days
	partial  string // the source days but 2010-12-03
	clean    result // the clean run's
)

// result is what a run left: every table's fingerprint, and its cost.
type result struct {
	sums     map[string]tablesum.Sum
	wall     time.Duration
	steps    int // billed workflow steps, as the backfills reported them
	deploys  int // model deployments started, as the backfills reported them
	injected int // faults the faulty process logged it injected
	logLines int // lines the run logged with -v (the clean run's)
}

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "pltv-faults-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	pltv = filepath.Join(dir, "pltv")
	if out, err := exec.Command("go", "build", "-o", pltv, "github.com/pltv/pltv/cmd/pltv").CombinedOutput(); err != nil {
		return 0, fmt.Errorf("build pltv: %v\n%s", err, out)
	}
	shipped, err := onlineretail.Dir()
	if err != nil {
		return 0, err
	}
	source, partial = filepath.Join(dir, "source"), filepath.Join(dir, "partial")
	for _, src := range []string{source, partial} {
		if err := os.MkdirAll(src, 0o755); err != nil {
			return 0, err
		}
		for _, d := range []string{"01", "02", "03", "05", "06", "07", "08"} {
			if d == "03" && src == partial {
				continue
			}
			name := "2010-12-" + d + ".csv"
			if err := os.Symlink(filepath.Join(shipped, name), filepath.Join(src, name)); err != nil {
				return 0, err
			}
		}
	}
	template = filepath.Join(dir, "template")
	if out, err := command(template, nil, "init", "--source", source).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("init: %v\n%s", err, out)
	}
	state := filepath.Join(dir, "clean")
	if err := copyDir(template, state); err != nil {
		return 0, err
	}
	start := time.Now()
	out, err := command(state, nil, "backfill", "--from", from, "--to", to, "-v").CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("clean backfill: %v\n%s", err, out)
	}
	clean = result{wall: time.Since(start), steps: steps(out), deploys: deploys(out),
		logLines: bytes.Count(out, []byte("level="))}
	if clean.sums, err = fingerprint(state); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// command is pltv on a state, with the fault-injection environment given (nil: none).
func command(state string, faults []string, args ...string) *exec.Cmd {
	cmd := exec.Command(pltv, append(args, "--state", state)...)
	cmd.Env = append(os.Environ(), faults...)
	cmd.Dir = filepath.Dir(state)
	return cmd
}

// newState copies the initialised template for one case.
func newState(t *testing.T) string {
	t.Helper()
	state := filepath.Join(t.TempDir(), "state")
	if err := copyDir(template, state); err != nil {
		t.Fatal(err)
	}
	return state
}

// run runs pltv to its end and returns its output; a failure fails the test.
func run(t *testing.T, state string, faults []string, args ...string) []byte {
	t.Helper()
	out, err := command(state, faults, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("pltv %v: %v\n%s", args, err, out)
	}
	return out
}

var (
	stepsRE   = regexp.MustCompile(`workflow steps:\s+(\d+) billed`)
	deploysRE = regexp.MustCompile(`model:\s+(\d+) deploys?,`)
)

func steps(out []byte) int { return total(stepsRE, out) }

// injected counts the faults a faulty process logged it injected.
func injected(out []byte) int { return bytes.Count(out, []byte(`msg="injected fault"`)) }

func deploys(out []byte) int { return total(deploysRE, out) }

// total sums the figure re finds in every summary of out.
func total(re *regexp.Regexp, out []byte) int {
	n := 0
	for _, m := range re.FindAllSubmatch(out, -1) {
		v, _ := strconv.Atoi(string(m[1]))
		n += v
	}
	return n
}

// fingerprint reads every table of the state's datasets.
func fingerprint(state string) (map[string]tablesum.Sum, error) {
	ctx := context.Background()
	rt, err := local.Open(ctx, config.Default(), local.Options{StateDir: state, Command: "fingerprint"})
	if err != nil {
		return nil, err
	}
	defer rt.Close()
	out := map[string]tablesum.Sum{}
	for _, ds := range []warehouse.Dataset{rt.Config.SourceDataset(), rt.Config.LTVDataset()} {
		sums, err := tablesum.Dataset(ctx, rt.WH, ds)
		if err != nil {
			return nil, err
		}
		for k, v := range sums {
			out[ds.Dataset+"."+k] = v
		}
	}
	return out, nil
}

// equalClean compares a state's tables with the clean run's, reports the case's figures, and says whether
// they are equal.
func equalClean(t *testing.T, state string, r result) bool {
	t.Helper()
	sums, err := fingerprint(state)
	if err != nil {
		t.Fatal(err)
	}
	diff := cmp.Diff(clean.sums, sums)
	t.Logf("figures: equal to clean %v; tables %d; wall %.1fs (clean %.1fs, extra %+.1fs); workflow steps %d (clean %d, extra %+d); faults injected %d",
		diff == "", len(sums), r.wall.Seconds(), clean.wall.Seconds(), (r.wall - clean.wall).Seconds(), r.steps, clean.steps, r.steps-clean.steps, r.injected)
	if diff != "" {
		t.Errorf("tables differ from a clean run (-clean +got):\n%s", diff)
	}
	return diff == ""
}

var statusRE = regexp.MustCompile(`(\d+) failed, (\d+) pending, (\d+) stale`)

// statusAllDone checks that `pltv status` names no date of the range as failed, pending or stale.
func statusAllDone(t *testing.T, state string) {
	t.Helper()
	out := run(t, state, nil, "status")
	m := statusRE.FindSubmatch(out)
	if m == nil || string(m[1]) != "0" || string(m[2]) != "0" || string(m[3]) != "0" {
		t.Errorf("pltv status after the case:\n%s", bytes.SplitN(out, []byte("\n"), 2)[0])
	}
}

func copyDir(src, dst string) error {
	return filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if info.Name() == local.LockFile {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode())
	})
}

// waitServing waits until a `pltv serve` on the state records its URL.
func waitServing(t *testing.T, state string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if h, ok := local.ReadHolder(state); ok && h.URL != "" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("pltv serve did not come up")
}
