package farmhash

import "testing"

// TestBigQueryExamples checks the values BigQuery's documentation of FARM_FINGERPRINT shows for
// CONCAT(CAST(x AS STRING), y, CAST(z AS STRING)).
func TestBigQueryExamples(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"1footrue", -1541654101129638711},
		{"2applefalse", 2794438866806483259},
		{"3true", -4880158226897771312},
	} {
		if got := int64(Fingerprint64([]byte(tc.in))); got != tc.want {
			t.Errorf("Fingerprint64(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
