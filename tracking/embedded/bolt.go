package embedded

import (
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FileName is the tracking file's name in the state directory.
const FileName = "tracking.db"

// ErrLocked is returned by Open when another process holds the file.
var ErrLocked = errors.New("tracking file in use by another process")

// Options configure Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to release the file; 5 seconds by default.
	LockTimeout time.Duration
	// NoSync skips the fsync of each commit: faster, but a machine crash may lose the last commits.
	NoSync bool
}

// Open opens (creating it if needed) the tracking file at path, e.g. filepath.Join(stateDir, FileName).
func Open(path string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 5 * time.Second
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout, NoSync: opts.NoSync})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open tracking %s: %w (waited %v)", path, ErrLocked, opts.LockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("open tracking %s: %w", path, err)
	}
	return &Store{kv: boltKV{db}}, nil
}

// boltKV keeps each collection in a bucket of the same name.
type boltKV struct{ db *bolt.DB }

func (b boltKV) view(fn func(txn) error) error {
	return b.db.View(func(tx *bolt.Tx) error { return fn(&boltTxn{tx: tx}) })
}

// update runs fn in a write transaction, and commits (with its fsync) only when fn wrote something.
func (b boltKV) update(fn func(txn) error) error {
	tx, err := b.db.Begin(true)
	if err != nil {
		return err
	}
	t := &boltTxn{tx: tx}
	if err := fn(t); err != nil || !t.wrote {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (b boltKV) close() error { return b.db.Close() }

type boltTxn struct {
	tx    *bolt.Tx
	wrote bool
}

func (t *boltTxn) get(coll, id string) []byte {
	b := t.tx.Bucket([]byte(coll))
	if b == nil {
		return nil
	}
	return b.Get([]byte(id))
}

func (t *boltTxn) put(coll, id string, v []byte) error {
	t.wrote = true
	b, err := t.tx.CreateBucketIfNotExists([]byte(coll))
	if err != nil {
		return err
	}
	return b.Put([]byte(id), v)
}

// del removes a document. An emptied bucket stays, keeping its version sequence so that a document created
// again never reuses an old version; collections leaves it out, as Firestore does an empty collection.
func (t *boltTxn) del(coll, id string) error {
	b := t.tx.Bucket([]byte(coll))
	if b == nil || b.Get([]byte(id)) == nil {
		return nil
	}
	t.wrote = true
	return b.Delete([]byte(id))
}

func (t *boltTxn) scan(coll string, fn func(id string, v []byte) error) error {
	b := t.tx.Bucket([]byte(coll))
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error { return fn(string(k), v) })
}

func (t *boltTxn) collections(prefix string) ([]string, error) {
	var names []string
	c := t.tx.Cursor()
	for k, _ := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, _ = c.Next() {
		if first, _ := t.tx.Bucket(k).Cursor().First(); first != nil {
			names = append(names, string(k))
		}
	}
	return names, nil
}

func (t *boltTxn) nextVersion(coll string) (uint64, error) {
	b, err := t.tx.CreateBucketIfNotExists([]byte(coll))
	if err != nil {
		return 0, err
	}
	return b.NextSequence()
}

func (t *boltTxn) count(coll string) int {
	b := t.tx.Bucket([]byte(coll))
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}
