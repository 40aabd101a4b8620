package synth

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestAsyncWriter(t *testing.T) {
	tests := []struct {
		name string
		fail error // the error of every write; nil writes to a buffer
	}{
		{"keeps order", nil},
		{"reports the write error on close", errors.New("disk full")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAsyncWriter()
			for round := range 2 { // the buffers are reused from one file to the next
				var buf bytes.Buffer
				if tt.fail != nil {
					a.start(failingWriter{tt.fail})
				} else {
					a.start(&buf)
				}
				var want strings.Builder
				for i := range 50 {
					chunk := strings.Repeat(string(rune('a'+i%26)), 1000+i)
					want.WriteString(chunk)
					if _, err := a.Write([]byte(chunk)); err != nil {
						t.Fatalf("round %d: Write: %v", round, err)
					}
				}
				if err := a.Close(); !errors.Is(err, tt.fail) {
					t.Fatalf("round %d: Close = %v, want %v", round, err, tt.fail)
				}
				if tt.fail == nil && buf.String() != want.String() {
					t.Errorf("round %d: wrote %d bytes out of order or incomplete, want %d", round, buf.Len(), want.Len())
				}
			}
		})
	}
}

func TestGenerateReportsAnUnusableOutput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Generate(context.Background(), Options{Out: file, Customers: 10, Days: 3}, nil)
	if err == nil {
		t.Fatal("Generate into a regular file succeeded")
	}
}
