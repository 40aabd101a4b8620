package bigquery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/pltv/pltv/warehouse"
)

// digestSource returns the data of a load and a digest of it, for the job id to name what the job loads:
// two loads of one attempt into one table are two jobs, and a retry of a load is the same one. With an
// attempt key in ctx the data is spooled to a temporary file while it is hashed, since the id is sent before
// the data; without one the id is random, and the data goes as it is. cleanup removes the file.
func digestSource(ctx context.Context, r io.Reader) (data io.Reader, digest string, cleanup func(), err error) {
	if _, ok := warehouse.AttemptOf(ctx); !ok {
		return r, "", func() {}, nil
	}
	f, err := os.CreateTemp("", "pltv-load-*.csv")
	if err != nil {
		return nil, "", nil, fmt.Errorf("spool the data: %w", err)
	}
	cleanup = func() { f.Close(); os.Remove(f.Name()) }
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), r); err != nil {
		cleanup()
		return nil, "", nil, fmt.Errorf("spool the data: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, "", nil, fmt.Errorf("spool the data: %w", err)
	}
	return f, hex.EncodeToString(h.Sum(nil)), cleanup, nil
}
