package studio

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// seed is the seed post's first contraction, as the issue has it typed.
const seed = "M[i j] = A[i α β] v[β] B[β α j]"

func newServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// post sends a JSON request to the handler and returns the status and body.
func post(t testing.TB, h http.Handler, path string, req any) (int, []byte) {
	t.Helper()
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(b))
	r.Header.Set("X-Strand", "1")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

// call posts a request that must succeed and decodes its JSON answer.
func call[T any](t testing.TB, h http.Handler, path string, req any) T {
	t.Helper()
	code, body := post(t, h, path, req)
	if code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", path, code, body)
	}
	var out T
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("%s: %v: %s", path, err, body)
	}
	return out
}

// apiError posts a request that must fail with status want and returns its
// message.
func apiError(t testing.TB, h http.Handler, path string, req any, want int) string {
	t.Helper()
	code, body := post(t, h, path, req)
	if code != want {
		t.Fatalf("%s: status %d, want %d: %s", path, code, want, body)
	}
	var e struct{ Error string }
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		t.Fatalf("%s: no error message in %s", path, body)
	}
	return e.Error
}

// nodeByName finds a drawn tensor by name.
func nodeByName(t testing.TB, v stmtView, name string) nodeInfo {
	t.Helper()
	for _, n := range v.Nodes {
		if n.Name == name {
			return n
		}
	}
	t.Fatalf("statement %d has no tensor %s: %+v", v.Index, name, v.Nodes)
	return nodeInfo{}
}
