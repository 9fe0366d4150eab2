//go:build unix

package cli

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// `strand serve` stops cleanly on SIGTERM, as on Ctrl-C (SIGINT).
func TestServeCommandStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		var out, errOut syncBuffer
		done := make(chan error, 1)
		code := make(chan int, 1)
		go func() {
			code <- Main([]string{"serve", "--addr", "127.0.0.1:0", "ladder"}, &Env{Stdout: &out, Stderr: &errOut})
		}()
		url := waitURL(t, &out, done)
		get(t, url)
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-code:
			if c != 0 || !strings.Contains(out.String(), "stopped") {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", sig, c, out.String(), errOut.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: the server did not stop", sig)
		}
	}
}
