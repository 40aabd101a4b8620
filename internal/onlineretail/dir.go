package onlineretail

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Dir returns a directory holding the day files, unpacked once into the user's cache directory (or the
// temporary directory when there is none) under a name derived from the archive's content, so that a new
// archive never meets an old copy. The directory is complete or absent: it is unpacked beside its final name
// and renamed into place.
func Dir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return dirUnder(filepath.Join(base, "pltv"))
}

func dirUnder(base string) (string, error) {
	sum := sha256.Sum256(archive)
	dir := filepath.Join(base, "online-retail-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", fmt.Errorf("online retail data: %w", err)
	}
	tmp, err := os.MkdirTemp(base, ".online-retail-*")
	if err != nil {
		return "", fmt.Errorf("online retail data: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := unpack(tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another process unpacked it first: theirs is as good as ours.
		if _, serr := os.Stat(filepath.Join(dir, ".complete")); serr == nil {
			return dir, nil
		}
		return "", fmt.Errorf("online retail data: %w", err)
	}
	return dir, nil
}

func unpack(dir string) error {
	err := Walk(func(name string, r io.Reader) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, r); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if err != nil {
		return fmt.Errorf("online retail data: unpacking into %s: %w", dir, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644); err != nil {
		return fmt.Errorf("online retail data: %w", err)
	}
	return nil
}
