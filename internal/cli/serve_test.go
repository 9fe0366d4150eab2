package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strand-tn/strand/studio"
)

// syncBuffer is a buffer safe to write from the server and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitURL waits for the line the server prints when it is up and returns
// its address.
func waitURL(t *testing.T, out *syncBuffer, done <-chan error) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the server stopped: %v\n%s", err, out)
		default:
		}
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "strand studio: "); ok && strings.HasPrefix(rest, "http://") {
				url, _, _ := strings.Cut(rest, " ")
				return url
			}
		}
	}
	t.Fatalf("the server did not start:\n%s", out)
	return ""
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

func TestServeShutsDownWithItsContext(t *testing.T) {
	var out, errOut syncBuffer
	env := &Env{Stdout: &out, Stderr: &errOut}
	ctx, cancel := context.WithCancel(context.Background())
	var opened []string
	saved := openBrowser
	t.Cleanup(func() { openBrowser = saved })
	openBrowser = func(url string) error { opened = append(opened, url); return errors.New("no display") }
	done := make(chan error, 1)
	go func() { done <- serve(ctx, env, "127.0.0.1:0", true, studio.Options{}) }()
	url := waitURL(t, &out, done)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url %q", url)
	}
	if page := get(t, url); !strings.Contains(page, "strand studio") {
		t.Errorf("page %.200q", page)
	}
	req, _ := http.NewRequest(http.MethodPost, url+"api/analyze", strings.NewReader(`{"text": "ij,jk->ik"}`))
	req.Header.Set("X-Strand", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("analyze: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop")
	}
	if !strings.Contains(out.String(), "stopped") {
		t.Errorf("output %q", out.String())
	}
	// Loopback: no warning; the browser that failed to open is reported.
	if strings.Contains(errOut.String(), "warning") || len(opened) != 1 || opened[0] != url || !strings.Contains(errOut.String(), "open "+url+" yourself") {
		t.Errorf("stderr %q, opened %v", errOut.String(), opened)
	}
}

// Bound to every interface, the studio warns that others can reach it.
func TestServeWarnsOffLoopback(t *testing.T) {
	var out, errOut syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, &Env{Stdout: &out, Stderr: &errOut}, "0.0.0.0:0", false, studio.Options{}) }()
	url := waitURL(t, &out, done)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.Contains(errOut.String(), "warning: the studio listens on") {
		t.Errorf("url %q, stderr %q", url, errOut.String())
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{{"serve", "a", "b"}, {"serve", "--timeout", "0s"}, {"serve", "--memory-limit", "0"}} {
		var out, errOut syncBuffer
		if c := Main(args, &Env{Stdout: &out, Stderr: &errOut}); c != 2 {
			t.Errorf("%v: exit %d, stderr %q", args, c, errOut.String())
		}
	}
	var out, errOut syncBuffer
	if c := Main([]string{"serve", "no-such-example"}, &Env{Stdout: &out, Stderr: &errOut}); c != 1 || !strings.Contains(errOut.String(), "no-such-example") {
		t.Errorf("unknown example: exit %d, stderr %q", c, errOut.String())
	}
	if c := Main([]string{"serve", "--addr", "256.0.0.1:1"}, &Env{Stdout: &out, Stderr: &errOut}); c != 1 || !strings.Contains(errOut.String(), "serve:") {
		t.Errorf("bad address: exit %d, stderr %q", c, errOut.String())
	}
}
