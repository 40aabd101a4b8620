// Package workflows holds the Cloud Workflows definitions that pltv deploys, daily.yaml and backfill.yaml,
// embedded in the binary, so that the CLI, the embedded runtime and the Pulumi program use the very same
// files: by name (Source, Names), or, for `pltv workflows run FILE|NAME`, by name or path (Resolve).
//
// The files run unchanged in Cloud Workflows and in the local engine (workflows/engine). They only
// sequence what needs waiting; the predict, model and extract services do the work.
package workflows

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

//go:embed daily.yaml backfill.yaml
var files embed.FS

// The workflows pltv deploys.
const (
	Daily    = "daily"    // predicts one run date: {"date": "YYYYMMDD"} or a BigQuery job-done CloudEvent
	Backfill = "backfill" // starts the extract of every date of a range: {"from": "YYYYMMDD", "to": "YYYYMMDD"}
)

// ErrUnknown is the error of a name that is not one of Names.
var ErrUnknown = errors.New("unknown workflow")

// Names lists the embedded workflows, sorted.
func Names() []string {
	return []string{Backfill, Daily}
}

// Source returns the YAML of an embedded workflow.
func Source(name string) ([]byte, error) {
	if !slices.Contains(Names(), name) {
		return nil, fmt.Errorf("workflow %q: %w (want one of %s)", name, ErrUnknown, strings.Join(Names(), ", "))
	}
	src, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("read embedded workflow %q: %w", name, err)
	}
	return src, nil
}

// Resolve returns a workflow's source and name: a bare name of Names means the embedded file; anything else
// is a path read from disk, named after the file without its extension (workflows/daily.yaml → "daily").
func Resolve(nameOrPath string) ([]byte, string, error) {
	if slices.Contains(Names(), nameOrPath) {
		src, err := Source(nameOrPath)
		return src, nameOrPath, err
	}
	src, err := os.ReadFile(nameOrPath)
	if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(nameOrPath, `/\.`) {
		return nil, "", fmt.Errorf("workflow %q: %w: neither one of %s nor a file", nameOrPath, ErrUnknown, strings.Join(Names(), ", "))
	}
	if err != nil {
		return nil, "", fmt.Errorf("read workflow %s: %w", nameOrPath, err)
	}
	base := filepath.Base(nameOrPath)
	return src, strings.TrimSuffix(base, filepath.Ext(base)), nil
}
