package synth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// writeBufferSize is the buffer of each day file's writer.
const writeBufferSize = 1 << 20

// daySink receives the generated lines one day at a time.
type daySink interface {
	// begin starts the file of a day and returns the writer its lines go to.
	begin(day time.Time) (*bufio.Writer, error)
	// end finishes the day begun last.
	end() error
	// abort discards the day begun last, after an error.
	abort()
}

// dirSink writes each day to DIR/YYYY-MM-DD.csv, through a temporary file renamed when complete, so a
// reader never sees half a day.
type dirSink struct {
	dir   string
	f     *os.File
	async *asyncWriter
	path  string
	w     *bufio.Writer
}

func newDirSink(dir string) (*dirSink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create output directory: %w", err)
	}
	return &dirSink{dir: dir, async: newAsyncWriter(), w: bufio.NewWriterSize(nil, writeBufferSize)}, nil
}

func (s *dirSink) begin(day time.Time) (*bufio.Writer, error) {
	s.path = filepath.Join(s.dir, day.Format(time.DateOnly)+".csv")
	f, err := os.CreateTemp(s.dir, "."+day.Format(time.DateOnly)+"-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create day file: %w", err)
	}
	s.f = f
	s.async.start(f)
	s.w.Reset(s.async)
	if _, err := s.w.WriteString(header); err != nil {
		s.abort()
		return nil, fmt.Errorf("write header of %s: %w", s.path, err)
	}
	return s.w, nil
}

func (s *dirSink) end() error {
	err := errors.Join(s.w.Flush(), s.async.Close())
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(s.f.Name(), s.path)
	}
	if err != nil {
		_ = os.Remove(s.f.Name())
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	return nil
}

func (s *dirSink) abort() {
	s.w.Reset(nil)
	_ = errors.Join(s.async.Close(), s.f.Close(), os.Remove(s.f.Name()))
}

// discardSink throws the lines away; the pilot run that sizes a data set counts them only.
type discardSink struct{ w *bufio.Writer }

func newDiscardSink() *discardSink { return &discardSink{w: bufio.NewWriterSize(io.Discard, 64<<10)} }

func (s *discardSink) begin(time.Time) (*bufio.Writer, error) { return s.w, nil }
func (s *discardSink) end() error                             { return s.w.Flush() }
func (s *discardSink) abort()                                 {}
