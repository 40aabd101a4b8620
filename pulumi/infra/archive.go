package infra

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/storage"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/config"
)

// source is the functions' source archive: the module without its tests, state and the Pulumi program,
// and the deployment's pltv.yaml at the root, where the functions read it.
type source struct {
	archive pulumi.Archive
	files   []string // the archive's paths, sorted
	hash    string   // of the paths and contents: names the object, so a change redeploys the functions
}

// skipDir are directories the functions never build from.
func skipDir(rel, name string) bool {
	return strings.HasPrefix(name, ".") || name == "testdata" || rel == "pulumi" || name == "node_modules"
}

// sourceArchive walks the module root.
func sourceArchive(root string, configText []byte) (*source, error) {
	assets := map[string]any{}
	h := sha256.New()
	var files []string
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			if rel != "." && skipDir(rel, e.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() || strings.HasSuffix(rel, "_test.go") || rel == config.DefaultPath || strings.HasPrefix(e.Name(), ".") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		h.Write([]byte(rel + "\x00"))
		h.Write(b)
		files = append(files, rel)
		assets[rel] = pulumi.NewFileAsset(path)
		return nil
	})
	if err != nil {
		return nil, err
	}
	h.Write([]byte(config.DefaultPath + "\x00"))
	h.Write(configText)
	files = append(files, config.DefaultPath)
	assets[config.DefaultPath] = pulumi.NewStringAsset(string(configText))
	sum := hex.EncodeToString(h.Sum(nil))[:16]
	return &source{archive: pulumi.NewAssetArchive(assets), files: files, hash: sum}, nil
}

// bucket creates the deployment's private bucket: the functions' source and the model data to load.
func (s *stack) bucket() (*storage.Bucket, error) {
	cfg := s.d.Cfg
	return storage.NewBucket(s.ctx, "source-bucket", &storage.BucketArgs{
		Project:                  pulumi.String(cfg.DefaultGCPProject),
		Name:                     pulumi.String(s.n.Bucket(cfg.DefaultGCPProject)),
		Location:                 pulumi.String(cfg.DefaultGCPRegion),
		UniformBucketLevelAccess: pulumi.Bool(true),
		PublicAccessPrevention:   pulumi.String("enforced"),
		ForceDestroy:             pulumi.Bool(true),
		Labels:                   s.labels(),
	}, s.opts()...)
}
