package onlineretail

import (
	"archive/tar"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"

	"github.com/klauspost/compress/zstd"
)

//go:embed online-retail.tar.zst
var archive []byte

// dayName is the name of a day file in the archive.
var dayName = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}\.csv$`)

// Walk calls fn with each day file's name (YYYY-MM-DD.csv) and content, in date order, and stops at fn's first
// error.
func Walk(fn func(name string, r io.Reader) error) error {
	dec, err := zstd.NewReader(bytes.NewReader(archive), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("online retail archive: %w", err)
	}
	defer dec.Close()
	tr := tar.NewReader(dec)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("online retail archive: %w", err)
		}
		name := path.Base(h.Name)
		if h.Typeflag != tar.TypeReg || !dayName.MatchString(name) {
			return fmt.Errorf("online retail archive: unexpected entry %q", h.Name)
		}
		if err := fn(name, tr); err != nil {
			return err
		}
	}
}
