package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/local"
)

// APIPath is where `pltv serve` runs the commands of other pltv processes on its state.
const APIPath = "/api/cli"

// servedAnnotation marks the commands `pltv serve` runs for a client.
const servedAnnotation = "pltv-served"

// cliRequest asks `pltv serve` to run a command, as its arguments after "pltv".
type cliRequest struct {
	Args []string `json:"args"`
}

// frame is one line of the answer: output on a stream, or the end with the command's error.
type frame struct {
	Stream string `json:"stream,omitempty"` // stdout or stderr
	Text   string `json:"text,omitempty"`
	Done   bool   `json:"done,omitempty"`
	Error  string `json:"error,omitempty"`
}

// throughServe makes cmd go through the API of the `pltv serve` holding the state while one does, instead of
// being refused by the state's lock.
func throughServe(g *globals, cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[servedAnnotation] = "yes"
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if g.served == nil {
			if url, ok := local.ServingURL(g.stateDir); ok {
				return g.remote(c.Context(), url, g.args)
			}
		}
		return run(c, args)
	}
	return cmd
}

// remote runs a command in the `pltv serve` at url, copying its output here.
func (g *globals) remote(ctx context.Context, url string, args []string) error {
	body, _ := json.Marshal(cliRequest{Args: absArgs(args)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+APIPath, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if ctx.Err() == nil && (errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)) {
			return serveStopped(url)
		}
		return fmt.Errorf("pltv serve at %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("pltv serve at %s: %s: %s", url, resp.Status, bytes.TrimSpace(b))
	}
	dec := json.NewDecoder(resp.Body)
	for {
		var f frame
		if err := dec.Decode(&f); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return serveStopped(url)
		}
		switch {
		case f.Done && f.Error != "":
			return errors.New(f.Error)
		case f.Done:
			return nil
		case f.Stream == "stderr":
			io.WriteString(g.stderr, f.Text)
		default:
			io.WriteString(g.stdout, f.Text)
		}
	}
}

// serveStopped is the error of a command whose `pltv serve` ended before it did.
func serveStopped(url string) error {
	return fmt.Errorf("pltv serve at %s stopped before the command ended; `pltv status` says where its dates stand", url)
}

// absArgs makes the arguments that name existing files absolute, for the server's working directory.
func absArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if strings.HasPrefix(a, "-") || !strings.ContainsAny(a, "./") {
			continue
		}
		if _, err := os.Stat(a); err == nil {
			if abs, err := filepath.Abs(a); err == nil {
				out[i] = abs
			}
		}
	}
	return out
}

// cliHandler runs the commands marked throughServe for clients, on the served runtime.
func cliHandler(e *local.Embedded) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req cliRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
			http.Error(w, "want {\"args\": [...]}: "+err.Error(), http.StatusBadRequest)
			return
		}
		out := &frames{w: w}
		g := &globals{stdout: out.stream("stdout"), stderr: out.stream("stderr"), served: e, args: req.Args,
			command: strings.Join(append([]string{"pltv"}, req.Args...), " ")}
		root := newRoot(g)
		if c, _, err := root.Find(req.Args); err != nil || c.Annotations[servedAnnotation] == "" {
			http.Error(w, fmt.Sprintf("pltv serve does not run %q for other processes: stop it first", strings.Join(req.Args, " ")),
				http.StatusConflict)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		root.SetArgs(req.Args)
		err := root.ExecuteContext(r.Context())
		f := frame{Done: true}
		if err != nil {
			f.Error = err.Error()
		}
		out.write(f)
	})
}

// frames writes the answer's frames, flushing each.
type frames struct {
	mu sync.Mutex
	w  http.ResponseWriter
}

func (f *frames) write(fr frame) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, _ := json.Marshal(fr)
	f.w.Write(append(b, '\n'))
	if fl, ok := f.w.(http.Flusher); ok {
		fl.Flush()
	}
}

func (f *frames) stream(name string) io.Writer { return streamWriter{f, name} }

type streamWriter struct {
	f    *frames
	name string
}

func (s streamWriter) Write(p []byte) (int, error) {
	s.f.write(frame{Stream: s.name, Text: string(p)})
	return len(p), nil
}
