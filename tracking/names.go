package tracking

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Collection kinds: each deployment's collections are named <prefix>_<kind>.
const (
	KindPrepare    = "prepare_daily_tx_tracking"
	KindPrediction = "prediction_tracking"
	KindTrace      = "unitary_prediction_tracking" // one collection per predictions table: <kind>_<table>
	KindTasks      = "long_running_tasks"
	KindEvents     = "processed_events"
	KindFilterRead = "filter_reads"
)

// maxPrefixBytes bounds the collection prefix, leaving room in an id for the kind and a table name.
const maxPrefixBytes = 200

// MaxIDBytes is the longest document or collection id Firestore accepts.
const MaxIDBytes = 1500

var reservedID = regexp.MustCompile(`^__.*__$`)

// ValidID reports why Firestore would reject s as a document or collection id, or nil when it accepts it.
func ValidID(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty id")
	case len(s) > MaxIDBytes:
		return fmt.Errorf("id of %d bytes, more than %d", len(s), MaxIDBytes)
	case !utf8.ValidString(s):
		return fmt.Errorf("id %q is not UTF-8", s)
	case strings.Contains(s, "/"):
		return fmt.Errorf("id %q contains '/'", s)
	case s == "." || s == "..":
		return fmt.Errorf("id %q is reserved", s)
	case reservedID.MatchString(s):
		return fmt.Errorf("id %q matches the reserved __.*__", s)
	}
	return nil
}

// DocID derives a valid document id from any non-empty key (a row id, a task id, a date): the key with '/',
// '%', control, space and non-ASCII bytes percent-escaped, "." and ".." and a leading "__" escaped too. Distinct
// keys give distinct ids, except keys too long for an id, which keep a readable head and end in the key's
// SHA-256.
func DocID(key string) string { return escapeID(key, MaxIDBytes) }

// escapeID escapes key into an id of at most max bytes (max ≥ 80).
func escapeID(key string, max int) string {
	if key == "" {
		return "%7E" // PathEscape never escapes '~', so no other key gives this id
	}
	id := url.PathEscape(key)
	switch {
	case id == "." || id == "..":
		id = strings.Repeat("%2E", len(id)) // PathEscape never escapes '.', so this cannot collide
	case strings.HasPrefix(id, "__"):
		id = "%5F" + id[1:] // nor '_'
	}
	if len(id) <= max {
		return id
	}
	sum := sha256.Sum256([]byte(key))
	tail := "~" + hex.EncodeToString(sum[:])
	head := id[:max-len(tail)]
	if i := strings.LastIndexByte(head, '%'); i >= 0 && i > len(head)-3 {
		head = head[:i] // do not cut an escape in half
	}
	return head + tail
}

// Names derives the collection names of one deployment.
type Names struct {
	Prefix string // <DEPLOYMENT_NAME>_<SOLUTION_PREFIX>
}

// ValidatePrefix checks that a prefix makes valid collection ids.
func ValidatePrefix(prefix string) error {
	if prefix == "" {
		return fmt.Errorf("empty collection prefix")
	}
	if len(prefix) > maxPrefixBytes {
		return fmt.Errorf("collection prefix %q longer than %d bytes", prefix, maxPrefixBytes)
	}
	if err := ValidID(prefix + "_" + KindTasks); err != nil {
		return fmt.Errorf("collection prefix %q: %w", prefix, err)
	}
	return nil
}

// Of returns the collection of a kind: <prefix>_<kind>.
func (n Names) Of(kind string) string { return n.Prefix + "_" + kind }

// Trace returns the per-row trace collection of a predictions table, e.g.
// food_pltv_unitary_prediction_tracking_test-ltv-deploy.ltv_ml.predictions_20200511. The table name is escaped
// like a document id, so any name gives a valid collection id.
func (n Names) Trace(table string) string {
	head := n.Of(KindTrace) + "_"
	return head + escapeID(table, MaxIDBytes-len(head))
}

// TracePrefix is the start shared by every per-row trace collection of the deployment.
func (n Names) TracePrefix() string { return n.Of(KindTrace) + "_" }
