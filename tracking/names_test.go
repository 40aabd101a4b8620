package tracking

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestDocID(t *testing.T) {
	tests := []struct {
		name string
		key  string
		want string
	}{
		{name: "plain", key: "536365-85123A", want: "536365-85123A"},
		{name: "slashes", key: "projects/p/jobs/j", want: "projects%2Fp%2Fjobs%2Fj"},
		{name: "percent", key: "a%2Fb", want: "a%252Fb"},
		{name: "dots kept", key: "a.b..c", want: "a.b..c"},
		{name: "dot", key: ".", want: "%2E"},
		{name: "dot dot", key: "..", want: "%2E%2E"},
		{name: "reserved", key: "__name__", want: "%5F_name__"},
		{name: "space and unicode", key: "C536379 ñ", want: "C536379%20%C3%B1"},
		{name: "empty", key: "", want: "%7E"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := DocID(tc.key)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DocID(%q) (-want +got):\n%s", tc.key, diff)
			}
		})
	}
}

func TestDocIDLong(t *testing.T) {
	key := strings.Repeat("é", 1000) // 2000 bytes, 6000 escaped
	id := DocID(key)
	head, hash, found := strings.Cut(id, "~")
	if !found || len(id) > MaxIDBytes || len(hash) != 64 {
		t.Fatalf("DocID of a long key = %d bytes, hash %q", len(id), hash)
	}
	if !strings.HasPrefix(url.PathEscape(key), head) || len(head)%6 != 0 {
		t.Errorf("head %q… is not whole escapes of the key", head[len(head)-12:])
	}
	if other := DocID(key + "x"); other == id {
		t.Errorf("two long keys share the id %q", id)
	}
}

func TestNames(t *testing.T) {
	n := Names{Prefix: "food_pltv"}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{name: "prepare", got: n.Of(KindPrepare), want: "food_pltv_prepare_daily_tx_tracking"},
		{name: "prediction", got: n.Of(KindPrediction), want: "food_pltv_prediction_tracking"},
		{name: "tasks", got: n.Of(KindTasks), want: "food_pltv_long_running_tasks"},
		{name: "events", got: n.Of(KindEvents), want: "food_pltv_processed_events"},
		{name: "trace of the original's table", got: n.Trace("test-ltv-deploy.ltv_ml.predictions_20200511"),
			want: "food_pltv_unitary_prediction_tracking_test-ltv-deploy.ltv_ml.predictions_20200511"},
		{name: "trace of a table with a slash", got: n.Trace("p/d.t"),
			want: "food_pltv_unitary_prediction_tracking_p%2Fd.t"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidatePrefix(t *testing.T) {
	tests := []struct {
		prefix string
		ok     bool
	}{
		{prefix: "food_pltv", ok: true},
		{prefix: "", ok: false},
		{prefix: "food/pltv", ok: false},
		{prefix: strings.Repeat("a", 201), ok: false},
	}
	for _, tc := range tests {
		if err := ValidatePrefix(tc.prefix); (err == nil) != tc.ok {
			t.Errorf("ValidatePrefix(%.20q) = %v, want ok %v", tc.prefix, err, tc.ok)
		}
	}
}

// FuzzDocID checks that any key gives a valid, deterministic id, and that short keys come back from it.
func FuzzDocID(f *testing.F) {
	for _, seed := range []string{"", ".", "..", "__x__", "a/b", "%2E", "%7E", "~", "\xff\xfe", strings.Repeat("/", 600)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, key string) {
		id := DocID(key)
		if err := ValidID(id); err != nil {
			t.Fatalf("DocID(%q) = %q: %v", key, id, err)
		}
		if DocID(key) != id {
			t.Fatalf("DocID(%q) not deterministic", key)
		}
		if strings.Contains(id, "~") && !strings.Contains(url.PathEscape(key), "~") && len(id) < MaxIDBytes-2 {
			t.Fatalf("DocID(%q) = %q: hashed a short key", key, id)
		}
		if len(url.PathEscape(key)) <= MaxIDBytes && key != "" {
			back, err := url.PathUnescape(undoSpecial(id))
			if err != nil || back != key {
				t.Fatalf("DocID(%q) = %q does not unescape back (%q, %v)", key, id, back, err)
			}
		}
	})
}

// undoSpecial maps the escapes DocID adds on top of PathEscape back to their characters.
func undoSpecial(id string) string {
	switch {
	case id == "%2E" || id == "%2E%2E":
		return strings.ReplaceAll(id, "%2E", ".")
	case strings.HasPrefix(id, "%5F"):
		return "_" + id[3:]
	}
	return id
}

var bigQueryName = regexp.MustCompile(`^[A-Za-z0-9-]+([:.][A-Za-z0-9_-]+)+$`)

// FuzzTraceCollection checks that any predictions table name gives a valid collection id of the deployment.
func FuzzTraceCollection(f *testing.F) {
	for _, seed := range []string{"test-ltv-deploy.ltv_ml.predictions_20200511", "p:d.t", "a/b/c", "", "..", strings.Repeat("x", 2000)} {
		f.Add(seed)
	}
	n := Names{Prefix: "food_pltv"}
	f.Fuzz(func(t *testing.T, table string) {
		coll := n.Trace(table)
		if err := ValidID(coll); err != nil {
			t.Fatalf("Trace(%q) = %q: %v", table, coll, err)
		}
		if !strings.HasPrefix(coll, n.TracePrefix()) || !utf8.ValidString(coll) {
			t.Fatalf("Trace(%q) = %q", table, coll)
		}
		// BigQuery names ([project:]dataset.table, letters, digits, '_', '-') are kept as they are.
		if bigQueryName.MatchString(table) && len(table) < 1000 {
			if want := n.TracePrefix() + table; coll != want {
				t.Fatalf("Trace(%q) = %q, want the name kept: %q", table, coll, want)
			}
		}
	})
}
