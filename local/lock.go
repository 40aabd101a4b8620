package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// LockFile is the single-writer lock of a state directory. It holds the Holder of the lock as JSON, so that a
// second command can say who has the state; the lock itself is an OS file lock, released when its process
// ends however it ends, so a holder left by a killed process is never mistaken for a live one.
const LockFile = "lock"

// Holder is the process that has a state directory.
type Holder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
	// URL is where a `pltv serve` holding the state serves its API; other commands go through it.
	URL string `json:"url,omitempty"`
}

// BusyError is the answer to a command on a state another process has.
type BusyError struct {
	Dir    string
	Holder Holder
}

func (e *BusyError) Error() string {
	h := e.Holder
	if h.PID == 0 {
		return fmt.Sprintf("state %s is in use by another pltv process (it is starting or stopping); try again", e.Dir)
	}
	msg := fmt.Sprintf("state %s is in use by PID %d (%s, since %s)", e.Dir, h.PID, h.Command,
		h.Since.Local().Format(time.TimeOnly))
	if h.URL != "" {
		return msg + "; this command does not go through pltv serve: stop it first"
	}
	return msg + "; wait for it to end, or run `pltv serve` to share the state between commands"
}

// StateLock is a held lock on a state directory.
type StateLock struct {
	dir    string
	fl     *flock.Flock
	holder Holder

	mu        sync.Mutex
	journaled bool // the holder has an entry in the journal, to end on Unlock
}

// LockState takes the single-writer lock of dir for command, creating dir when it does not exist. It never
// waits: when another process holds the lock it returns a *BusyError naming that process.
func LockState(dir, command string) (*StateLock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	fl := flock.New(filepath.Join(dir, LockFile))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock state %s: %w", dir, err)
	}
	if !ok {
		h, _ := ReadHolder(dir)
		return nil, &BusyError{Dir: dir, Holder: h}
	}
	l := &StateLock{dir: dir, fl: fl, holder: Holder{PID: os.Getpid(), Command: command, Since: time.Now().UTC()}}
	if err := l.write(); err != nil {
		fl.Unlock()
		return nil, err
	}
	// Whatever command the journal shows unended is gone: this process has the lock.
	if err := markInterrupted(dir); err != nil {
		l.Unlock()
		return nil, err
	}
	return l, nil
}

// Intend records in the state's journal that the holder sets out to compute the run dates from..to, so that
// if it is killed `pltv status` names the dates it left unfinished.
func (l *StateLock) Intend(from, to string) error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.journaled = true
	return updateEntry(l.dir, l.holder, func(e *JournalEntry) {
		if r := (DateRange{From: from, To: to}); !slices.Contains(e.Ranges, r) {
			e.Ranges = append(e.Ranges, r)
		}
	})
}

// SetURL records where the holder serves its API.
func (l *StateLock) SetURL(url string) error {
	l.holder.URL = url
	return l.write()
}

func (l *StateLock) write() error {
	b, _ := json.Marshal(l.holder)
	// The lock is on the file, not its content: rewriting the content keeps it.
	if err := os.WriteFile(l.fl.Path(), b, 0o644); err != nil {
		return fmt.Errorf("lock state %s: %w", l.dir, err)
	}
	return nil
}

// Unlock releases the lock.
func (l *StateLock) Unlock() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	var err error
	if l.journaled {
		now := time.Now().UTC()
		err = updateEntry(l.dir, l.holder, func(e *JournalEntry) { e.Ended = &now })
	}
	l.mu.Unlock()
	_ = os.Truncate(l.fl.Path(), 0)
	return errors.Join(err, l.fl.Unlock())
}

// ReadHolder returns the holder recorded in dir's lock file; ok is false when none is recorded (the lock is
// free, or its holder is still writing it).
func ReadHolder(dir string) (h Holder, ok bool) {
	for range 5 { // a holder writes its record right after locking
		b, err := os.ReadFile(filepath.Join(dir, LockFile))
		if err != nil {
			return Holder{}, false
		}
		if json.Unmarshal(b, &h) == nil && h.PID != 0 {
			return h, true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return Holder{}, false
}

// ServingURL returns the URL of the `pltv serve` holding dir, when one does.
func ServingURL(dir string) (string, bool) {
	fl := flock.New(filepath.Join(dir, LockFile))
	ok, err := fl.TryRLock()
	if err == nil && ok { // nobody holds it
		fl.Unlock()
		return "", false
	}
	h, found := ReadHolder(dir)
	if !found || h.URL == "" {
		return "", false
	}
	return h.URL, true
}

// IsBusy reports whether err says another process has the state.
func IsBusy(err error) bool {
	var b *BusyError
	return errors.As(err, &b)
}
