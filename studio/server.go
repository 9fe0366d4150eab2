package studio

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/strand-tn/strand/examples"
)

//go:embed static
var static embed.FS

// Options configure a Server. The zero value is a good default.
type Options struct {
	// MaxBody caps the bytes of a request body (uploads included); 0 means
	// 8 MiB.
	MaxBody int64
	// Timeout is the time budget of one request, waiting for a free worker
	// included; 0 means 10 s.
	Timeout time.Duration
	// MemoryLimit bounds the bytes of any one tensor an evaluation makes
	// (inputs, intermediates, results) and of the random inputs together; 0
	// means 512 MiB.
	MemoryLimit int64
	// MaxFlops is the most floating-point operations an evaluation may need,
	// estimated from its contraction order before it starts; 0 means 1e10.
	MaxFlops float64
	// DefaultSize is the size taken for legs the text gives no size (they
	// are drawn as of unknown size); 0 means 2, as `strand draw` takes.
	DefaultSize int
	// MaxTensors is the most tensors one statement may have to be drawn;
	// 0 means 400.
	MaxTensors int
	// Workers is the number of requests computed at once; 0 means twice
	// GOMAXPROCS.
	Workers int
	// Example names the example the page opens with when its address
	// carries no text; "" means the seed's contraction.
	Example string
	// Log receives a line for each request that failed on the server's
	// side (a panic, with its stack); nil means log.Default().
	Log *log.Logger
}

func (o Options) maxBody() int64 { return orDefault(o.MaxBody, 8<<20) }
func (o Options) timeout() time.Duration {
	return orDefault(o.Timeout, 10*time.Second)
}
func (o Options) memoryLimit() int64 { return orDefault(o.MemoryLimit, 512<<20) }
func (o Options) maxFlops() float64  { return orDefault(o.MaxFlops, 1e10) }
func (o Options) defaultSize() int   { return orDefault(o.DefaultSize, 2) }
func (o Options) maxTensors() int    { return orDefault(o.MaxTensors, 400) }
func (o Options) workers() int       { return orDefault(o.Workers, 2*runtime.GOMAXPROCS(0)) }
func (o Options) logger() *log.Logger {
	if o.Log == nil {
		return log.Default()
	}
	return o.Log
}
func (o Options) example() string {
	if o.Example == "" {
		return "contraction"
	}
	return o.Example
}

func orDefault[T int | int64 | float64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Server serves the studio. It keeps no state between requests besides the
// count of busy workers; create one with New.
type Server struct {
	opts  Options
	mux   *http.ServeMux
	slots chan struct{}
}

// New returns a studio server. It checks that Options.Example names an
// example.
func New(opts Options) (*Server, error) {
	if _, err := examples.Get(opts.example()); err != nil {
		return nil, fmt.Errorf("studio: %w", err)
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), slots: make(chan struct{}, opts.workers())}
	files, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	s.mux.Handle("GET /", noCache(http.FileServerFS(files)))
	s.mux.HandleFunc("GET /api/examples", s.handleExamples)
	s.mux.Handle("POST /api/analyze", endpoint(s, s.analyze))
	s.mux.Handle("POST /api/eval", endpoint(s, s.evaluate))
	s.mux.Handle("POST /api/move", endpoint(s, s.move))
	s.mux.Handle("POST /api/export", endpoint(s, s.export))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'")
	s.mux.ServeHTTP(w, r)
}

// noCache makes the browser revalidate the page's files, so that a new
// binary's page is never mixed with an old one's script.
func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// httpError is a failed request: its HTTP status and a message for the page.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// file is a response that is a file to download rather than JSON.
type file struct {
	name, contentType string
	body              []byte
}

// endpoint makes an API handler from f: it requires the X-Strand header,
// caps and decodes the JSON body into a Req, runs f under the server's
// budgets and writes its result as JSON (or as a file to download), or the
// error as {"error": "…"} with a status that says which kind it is.
func endpoint[Req, Resp any](s *Server, f func(context.Context, *Req) (Resp, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Strand") != "1" {
			writeError(w, &httpError{http.StatusForbidden, "studio: API requests must carry the header X-Strand: 1"})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.maxBody()))
		if err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				writeError(w, &httpError{http.StatusRequestEntityTooLarge,
					fmt.Sprintf("studio: the request is larger than the limit of %d bytes (Options.MaxBody, --max-body)", mb.Limit)})
				return
			}
			writeError(w, &httpError{http.StatusBadRequest, "studio: reading the request: " + err.Error()})
			return
		}
		req := new(Req)
		if err := json.Unmarshal(body, req); err != nil {
			writeError(w, &httpError{http.StatusBadRequest, "studio: the request is not valid JSON: " + err.Error()})
			return
		}
		resp, err := compute(s, r.Context(), func(ctx context.Context) (Resp, error) { return f(ctx, req) })
		if err != nil {
			writeError(w, err)
			return
		}
		if f, ok := any(resp).(*file); ok {
			w.Header().Set("Content-Type", f.contentType)
			w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", f.name))
			w.Write(f.body)
			return
		}
		writeJSON(w, http.StatusOK, resp)
	})
}

// compute runs f on a worker under the request's time budget. It waits
// for a free worker no longer than the budget; if f outlives the budget, the
// request fails at once with a clear error and f's context is cancelled,
// while f keeps its worker until it returns. A panic in f fails the request,
// not the server.
func compute[T any](s *Server, parent context.Context, f func(context.Context) (T, error)) (T, error) {
	var zero T
	budget := s.opts.timeout()
	ctx, cancel := context.WithTimeout(parent, budget)
	defer cancel()
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return zero, budgetError(parent, budget, "waiting for a free worker")
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-s.slots }()
		defer func() {
			if p := recover(); p != nil {
				s.opts.logger().Printf("studio: panic: %v\n%s", p, debug.Stack())
				done <- result{err: &httpError{http.StatusInternalServerError, fmt.Sprintf("studio: internal error: %v", p)}}
			}
		}()
		v, err := f(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if r.err != nil && ctx.Err() != nil && errors.Is(r.err, ctx.Err()) {
			return zero, budgetError(parent, budget, "computing")
		}
		return r.v, r.err
	case <-ctx.Done():
		return zero, budgetError(parent, budget, "computing")
	}
}

// budgetError says why a request stopped: the client went away, or it ran
// past the time budget.
func budgetError(parent context.Context, budget time.Duration, doing string) error {
	if parent.Err() != nil {
		return &httpError{499, "studio: the request was cancelled"}
	}
	return &httpError{http.StatusServiceUnavailable,
		fmt.Sprintf("studio: the request ran past its time budget of %v while %s and was stopped (Options.Timeout, --timeout); the server carries on", budget, doing)}
}

func writeError(w http.ResponseWriter, err error) {
	status := http.StatusUnprocessableEntity
	var he *httpError
	if errors.As(err, &he) {
		status = he.status
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "studio: ") {
		msg = "studio: " + msg
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(map[string]string{"error": "studio: encoding the response: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// gallery is the examples list the page shows.
type gallery struct {
	Start    string         `json:"start"` // the example the page opens with
	Examples []exampleEntry `json:"examples"`
}

type exampleEntry struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

func (s *Server) handleExamples(w http.ResponseWriter, r *http.Request) {
	g := gallery{Start: s.opts.example(), Examples: []exampleEntry{}}
	for _, e := range examples.All() {
		g.Examples = append(g.Examples, exampleEntry{e.Name, e.Title, e.Text})
	}
	writeJSON(w, http.StatusOK, g)
}
