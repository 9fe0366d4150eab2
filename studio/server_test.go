package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/examples"
	"github.com/strand-tn/strand/notation"
)

func TestExport(t *testing.T) {
	s := newServer(t, Options{})
	ex, _ := examples.Get("contraction")
	for _, c := range []struct {
		format, name, mime string
		check              func([]byte) error
	}{
		{"svg", "strand-1.svg", "image/svg+xml", func(b []byte) error {
			if !bytes.HasPrefix(b, []byte("<svg ")) || !bytes.Contains(b, []byte(`data-id="t2/A"`)) {
				return errors.New("not the statement's SVG")
			}
			return nil
		}},
		{"tikz", "strand-1.tex", "application/x-tex", func(b []byte) error {
			if !bytes.Contains(b, []byte(`\begin{tikzpicture}`)) || !bytes.Contains(b, []byte(`\documentclass`)) {
				return errors.New("not a TikZ document")
			}
			return nil
		}},
		{"png", "strand-1.png", "image/png", func(b []byte) error {
			img, err := png.Decode(bytes.NewReader(b))
			if err == nil && img.Bounds().Dx() < 50 {
				err = fmt.Errorf("image only %v", img.Bounds())
			}
			return err
		}},
		{"json", "strand-1.json", "application/json", func(b []byte) error {
			var sc diagram.Scene
			if err := json.Unmarshal(b, &sc); err != nil {
				return err
			}
			if _, ok := sc.Node("t2/v"); !ok {
				return errors.New("no tensor v in the scene")
			}
			return nil
		}},
		{"notation", "strand.tn", "text/plain; charset=utf-8", func(b []byte) error {
			node, err := notation.Parse(ex.Text)
			if err != nil {
				return err
			}
			if want := notation.Format(node) + "\n"; string(b) != want {
				return fmt.Errorf("got %q, want %q", b, want)
			}
			return nil
		}},
	} {
		b, _ := json.Marshal(exportRequest{Text: ex.Text, Statement: 0, Format: c.format})
		r := httptest.NewRequest(http.MethodPost, "/api/export", bytes.NewReader(b))
		r.Header.Set("X-Strand", "1")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", c.format, w.Code, w.Body)
		}
		if got := w.Header().Get("Content-Type"); got != c.mime {
			t.Errorf("%s: content type %q, want %q", c.format, got, c.mime)
		}
		if got := w.Header().Get("Content-Disposition"); got != `attachment; filename="`+c.name+`"` {
			t.Errorf("%s: disposition %q", c.format, got)
		}
		if err := c.check(w.Body.Bytes()); err != nil {
			t.Errorf("%s: %v", c.format, err)
		}
	}
	// The whole text, as `strand draw` draws it: one figure per statement.
	w := httptest.NewRecorder()
	b, _ := json.Marshal(exportRequest{Text: ex.Text, Statement: -1, Format: "svg"})
	r := httptest.NewRequest(http.MethodPost, "/api/export", bytes.NewReader(b))
	r.Header.Set("X-Strand", "1")
	s.ServeHTTP(w, r)
	if body := w.Body.String(); w.Code != 200 || !strings.Contains(body, `data-id="f1/t2/A"`) || !strings.Contains(body, `data-id="f2/t2/A"`) ||
		w.Header().Get("Content-Disposition") != `attachment; filename="strand.svg"` {
		t.Errorf("whole text: %d %q %.300s", w.Code, w.Header().Get("Content-Disposition"), body)
	}
	apiError(t, s, "/api/export", exportRequest{Text: ex.Text, Statement: -2, Format: "svg"}, http.StatusBadRequest)
	apiError(t, s, "/api/export", exportRequest{Text: ex.Text, Format: "pdf"}, http.StatusBadRequest)
	apiError(t, s, "/api/export", exportRequest{Text: ex.Text, Statement: 9, Format: "svg"}, http.StatusBadRequest)
	apiError(t, s, "/api/export", exportRequest{Text: "M[i", Format: "svg"}, http.StatusUnprocessableEntity)
	apiError(t, s, "/api/export", exportRequest{Text: "M[i", Format: "notation"}, http.StatusUnprocessableEntity)
}

func TestStaticAndExamples(t *testing.T) {
	s := newServer(t, Options{})
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	w := get("/")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `<script src="app.js">`) {
		t.Fatalf("/: %d %s", w.Code, w.Body)
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	for path, typ := range map[string]string{"/app.js": "javascript", "/app.css": "text/css"} {
		if w := get(path); w.Code != 200 || !strings.Contains(w.Header().Get("Content-Type"), typ) {
			t.Errorf("%s: %d %q", path, w.Code, w.Header().Get("Content-Type"))
		}
	}
	if w := get("/../go.mod"); w.Code == 200 {
		t.Errorf("served a file outside the page: %s", w.Body)
	}
	w = get("/api/examples")
	var g gallery
	if err := json.Unmarshal(w.Body.Bytes(), &g); err != nil {
		t.Fatal(err)
	}
	all := examples.All()
	if g.Start != "contraction" || len(g.Examples) != len(all) {
		t.Fatalf("%+v", g)
	}
	for i, e := range all {
		if g.Examples[i] != (exampleEntry{e.Name, e.Title, e.Text}) {
			t.Errorf("example %d: %+v", i, g.Examples[i])
		}
	}
	if _, err := New(Options{Example: "no-such-example"}); err == nil {
		t.Error("New accepted an unknown example")
	}
	// GET on the API and POST on the page are refused.
	if w := get("/api/analyze"); w.Code == http.StatusOK {
		t.Errorf("GET /api/analyze: %d", w.Code)
	}
}

func TestRequestLimits(t *testing.T) {
	s := newServer(t, Options{MaxBody: 1 << 10})
	msg := apiError(t, s, "/api/analyze", analyzeRequest{Text: strings.Repeat("A[i] ", 400)}, http.StatusRequestEntityTooLarge)
	if !strings.Contains(msg, "1024 bytes") {
		t.Errorf("message %q", msg)
	}
	call[analysis](t, s, "/api/analyze", analyzeRequest{Text: seed})

	// Without the header (a cross-site form cannot set it), nothing runs.
	r := httptest.NewRequest(http.MethodPost, "/api/analyze", strings.NewReader(`{"text":"ij,jk->ik"}`))
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("no header: status %d", w.Code)
	}
	r = httptest.NewRequest(http.MethodPost, "/api/analyze", strings.NewReader(`{"text":`))
	r.Header.Set("X-Strand", "1")
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "not valid JSON") {
		t.Errorf("bad JSON: status %d %s", w.Code, w.Body)
	}
	// A statement too large to draw live says so, and is not drawn.
	s = newServer(t, Options{MaxTensors: 3})
	a := call[analysis](t, s, "/api/analyze", analyzeRequest{Text: "x = a[i] b[i j] c[j k] d[k]"})
	if len(a.Statements) != 1 || a.Statements[0].Error == nil || !strings.Contains(a.Statements[0].Error.Msg, "MaxTensors") {
		t.Fatalf("%+v", a.Statements)
	}
}

// compute keeps the budgets: a slow computation fails its request at the
// deadline while holding its worker until it ends; a panic fails only its
// request; a cancelled request says so.
func TestComputeBudgets(t *testing.T) {
	var logged bytes.Buffer
	s := newServer(t, Options{Timeout: 50 * time.Millisecond, Workers: 1, Log: log.New(&logged, "", 0)})
	release := make(chan struct{})
	start := time.Now()
	_, err := compute(s, context.Background(), func(ctx context.Context) (int, error) {
		<-release
		return 1, nil
	})
	var he *httpError
	if !errors.As(err, &he) || he.status != http.StatusServiceUnavailable || !strings.Contains(he.msg, "time budget") {
		t.Fatalf("slow: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("the request was not stopped at its deadline")
	}
	// The one worker is still busy: the next request waits, then gives up.
	_, err = compute(s, context.Background(), func(ctx context.Context) (int, error) { return 2, nil })
	if !errors.As(err, &he) || !strings.Contains(he.msg, "waiting for a free worker") {
		t.Fatalf("busy: %v", err)
	}
	close(release)
	// Once it has ended, work goes on.
	var v int
	for range 100 {
		if v, err = compute(s, context.Background(), func(ctx context.Context) (int, error) { return 3, nil }); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if v != 3 {
		t.Fatalf("after the slow one: %v %v", v, err)
	}
	_, err = compute(s, context.Background(), func(ctx context.Context) (int, error) { panic("boom") })
	if !errors.As(err, &he) || he.status != http.StatusInternalServerError || !strings.Contains(logged.String(), "boom") {
		t.Fatalf("panic: %v, log %q", err, logged.String())
	}
	// A computation that notices its context is reported as over budget.
	_, err = compute(s, context.Background(), func(ctx context.Context) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	})
	if !errors.As(err, &he) || he.status != http.StatusServiceUnavailable {
		t.Fatalf("context: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err = compute(s, ctx, func(ctx context.Context) (int, error) { return 0, nil }); !errors.As(err, &he) || he.status != 499 {
		t.Fatalf("cancelled: %v", err)
	}
	// Through HTTP: the error is JSON and the server carries on.
	s = newServer(t, Options{Timeout: time.Nanosecond})
	msg := apiError(t, s, "/api/analyze", analyzeRequest{Text: seed}, http.StatusServiceUnavailable)
	if !strings.Contains(msg, "time budget") {
		t.Errorf("message %q", msg)
	}
}

// The handlers are safe for concurrent use: many requests at once, of every
// kind, get the answers they get one at a time (run with -race). The time
// budget is raised: under the race detector on a small machine, the queue of
// a few hundred requests takes longer than the default budget to drain.
func TestConcurrentRequests(t *testing.T) {
	s := newServer(t, Options{Timeout: 5 * time.Minute})
	var ex []examples.Example
	for _, e := range examples.All() {
		if _, err := compile(e.Text, nil, 2); err == nil {
			ex = append(ex, e)
		}
	}
	type req struct {
		path string
		body any
	}
	var reqs []req
	for i, e := range ex {
		reqs = append(reqs, req{"/api/analyze", analyzeRequest{Text: e.Text}}, req{"/api/eval", evalRequest{Text: e.Text, Seed: 3}},
			req{"/api/export", exportRequest{Text: e.Text, Format: "svg"}})
		if i < 4 {
			reqs = append(reqs, req{"/api/export", exportRequest{Text: e.Text, Format: "png"}}, req{"/api/export", exportRequest{Text: e.Text, Format: "tikz"}})
		}
	}
	reqs = append(reqs, req{"/api/move", moveRequest{Text: seed, Node: "t2/v", X: 10, Y: 10}}, req{"/api/analyze", analyzeRequest{Text: "ij,jk->ik"}})
	want := make([][]byte, len(reqs))
	for i, r := range reqs {
		code, body := post(t, s, r.path, r.body)
		if code != 200 {
			t.Fatalf("%s: %d %s", r.path, code, body)
		}
		want[i] = body
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var wg sync.WaitGroup
	const rounds = 3
	errs := make(chan error, rounds*len(reqs))
	for round := range rounds {
		for i, r := range reqs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, _ := json.Marshal(r.body)
				hr, _ := http.NewRequest(http.MethodPost, srv.URL+r.path, bytes.NewReader(b))
				hr.Header.Set("X-Strand", "1")
				resp, err := srv.Client().Do(hr)
				if err != nil {
					errs <- err
					return
				}
				defer resp.Body.Close()
				got, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 || !bytes.Equal(got, want[i]) {
					errs <- fmt.Errorf("round %d, %s #%d: status %d, answer differs from the serial one", round, r.path, i, resp.StatusCode)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
