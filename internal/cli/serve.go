package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/strand-tn/strand/studio"
)

func init() {
	register(&Command{
		Name:    "serve",
		Usage:   "[EXAMPLE] [--addr 127.0.0.1:8080] [--open] [--timeout 10s] [--memory-limit 512MiB] [--max-flops 1e10] [--max-body 8MiB]",
		Summary: "start the studio: a web page where notation becomes its diagram and numbers as you type",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port`; loopback by default, port 0 picks a free port")
			open := fs.Bool("open", false, "open the page in the default browser")
			timeout := fs.Duration("timeout", 10*time.Second, "time budget of one request")
			memory := bytesFlag(512 << 20)
			fs.Var(&memory, "memory-limit", "largest tensor an evaluation may make, `SIZE`")
			maxFlops := fs.Float64("max-flops", 1e10, "most floating-point operations an evaluation may need")
			maxBody := bytesFlag(8 << 20)
			fs.Var(&maxBody, "max-body", "largest request body, uploads included, `SIZE`")
			return func(env *Env, args []string) error {
				if len(args) > 1 {
					return usagef("serve takes at most one example name")
				}
				opts := studio.Options{Timeout: *timeout, MemoryLimit: int64(memory), MaxFlops: *maxFlops, MaxBody: int64(maxBody)}
				if len(args) == 1 {
					opts.Example = args[0]
				}
				if *timeout <= 0 || memory <= 0 || *maxFlops <= 0 || maxBody <= 0 {
					return usagef("--timeout, --memory-limit, --max-flops and --max-body must be positive")
				}
				ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
				defer stop()
				return serve(ctx, env, *addr, *open, opts)
			}
		},
	})
}

// openBrowser opens url in the desktop's browser.
var openBrowser = func(url string) error {
	switch runtime.GOOS {
	case "darwin":
		return exec.Command("open", url).Start()
	case "windows":
		return exec.Command("rundll32", "url.dll,FileProtocolHandler", url).Start()
	}
	return exec.Command("xdg-open", url).Start()
}

// serve runs the studio on addr until ctx is done (SIGINT or SIGTERM), then
// shuts down gracefully: it stops accepting connections and waits up to
// five seconds for requests in flight. It warns when the address is not a
// loopback one, since anyone who can reach it can make the studio compute.
func serve(ctx context.Context, env *Env, addr string, open bool, opts studio.Options) error {
	h, err := studio.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	tcp := ln.Addr().(*net.TCPAddr)
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port)) + "/"
	if !tcp.IP.IsLoopback() {
		fmt.Fprintf(env.Stderr, "strand: warning: the studio listens on %s, which other machines can reach; it has no authentication, and anyone who can reach it can make it compute (within its budgets). Use --addr 127.0.0.1:PORT to keep it local.\n", ln.Addr())
	}
	// Slow clients cannot hold connections: a minute to send a request, the
	// request's budget and half a minute more to read the answer.
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      opts.Timeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(env.Stdout, "strand studio: %s  (Ctrl-C to stop)\n", url)
	if open {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(env.Stderr, "strand: could not open a browser (%v); open %s yourself\n", err, url)
		}
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	if errors.Is(err, context.DeadlineExceeded) {
		srv.Close()
		err = nil
	}
	fmt.Fprintln(env.Stdout, "strand studio: stopped")
	return err
}
