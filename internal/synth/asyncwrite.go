package synth

import "io"

// asyncWriter hands what it is given to a goroutine that writes it to a file, so that drawing and
// formatting lines on one core overlaps with the file system's work on the other. Writes are copied into
// one of a few buffers, reused from file to file, and keep their order.
type asyncWriter struct {
	w       io.Writer
	full    chan []byte
	free    chan []byte
	done    chan struct{}
	err     error // set by the writing goroutine; read after done is closed
	running bool
}

// asyncBuffers is how many buffers may be in flight; one is being written while the others fill.
const asyncBuffers = 3

func newAsyncWriter() *asyncWriter {
	a := &asyncWriter{free: make(chan []byte, asyncBuffers)}
	for range asyncBuffers {
		a.free <- make([]byte, 0, writeBufferSize)
	}
	return a
}

// start sends the following writes to w.
func (a *asyncWriter) start(w io.Writer) {
	a.w, a.err, a.running = w, nil, true
	a.full = make(chan []byte, asyncBuffers)
	a.done = make(chan struct{})
	go a.loop()
}

func (a *asyncWriter) loop() {
	defer close(a.done)
	for b := range a.full {
		if a.err == nil {
			_, a.err = a.w.Write(b)
		}
		a.free <- b[:0]
	}
}

// Write queues a copy of p. An error of an earlier write is reported by Close.
func (a *asyncWriter) Write(p []byte) (int, error) {
	b := <-a.free
	a.full <- append(b, p...)
	return len(p), nil
}

// Close waits for the queued writes and returns the first error among them.
func (a *asyncWriter) Close() error {
	if !a.running {
		return nil
	}
	a.running = false
	close(a.full)
	<-a.done
	return a.err
}
