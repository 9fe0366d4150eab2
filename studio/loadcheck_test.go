package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strand-tn/strand/examples"
)

var (
	loadDuration = flag.Duration("loadcheck", 0, "run the load check for this long (e.g. 30s); 0 skips it")
	loadClients  = flag.Int("loadclients", 200, "concurrent clients of the load check")
)

// TestLoadCheck is the studio's load check, run on demand:
//
//	go test ./studio -run TestLoadCheck -loadcheck 30s -v
//
// Clients (200 by default) each render the gallery's examples in turn
// (POST /api/analyze: parse, layout, SVG, contraction order) against a
// server on loopback for the given time. It reports requests per second and
// latency percentiles, and fails on any error, or if the heap or the
// goroutines have grown once the run is over. It asserts nothing about
// speed.
func TestLoadCheck(t *testing.T) {
	if *loadDuration <= 0 {
		t.Skip("the load check runs with -loadcheck DURATION")
	}
	s := newServer(t, Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	var bodies [][]byte
	for _, e := range examples.All() {
		b, _ := json.Marshal(analyzeRequest{Text: e.Text})
		bodies = append(bodies, b)
	}
	transport := &http.Transport{MaxIdleConns: *loadClients, MaxIdleConnsPerHost: *loadClients}
	client := &http.Client{Transport: transport, Timeout: time.Minute}
	send := func(body []byte) error {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/analyze", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("X-Strand", "1")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %d: %.200s", resp.StatusCode, b)
		}
		return err
	}
	// Warm up: every example once, then measure the resting heap.
	for _, b := range bodies {
		if err := send(b); err != nil {
			t.Fatal(err)
		}
	}
	heapBefore, goBefore := restingHeap()

	ctx, cancel := context.WithTimeout(context.Background(), *loadDuration)
	defer cancel()
	var failures atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, *loadClients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range *loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := c; ctx.Err() == nil; k++ {
				t0 := time.Now()
				if err := send(bodies[k%len(bodies)]); err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	transport.CloseIdleConnections()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(p*float64(len(all))))]
	}
	heapAfter, goAfter := restingHeap()
	t.Logf("%d clients, %v, %d examples: %d requests, %.0f requests/s; latency p50 %v, p90 %v, p99 %v, max %v",
		*loadClients, elapsed.Round(time.Millisecond), len(bodies), len(all), float64(len(all))/elapsed.Seconds(),
		pct(0.5).Round(time.Millisecond), pct(0.9).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), pct(1).Round(time.Millisecond))
	t.Logf("resting heap %.1f MiB before, %.1f MiB after; goroutines %d before, %d after",
		float64(heapBefore)/(1<<20), float64(heapAfter)/(1<<20), goBefore, goAfter)
	if n := failures.Load(); n > 0 {
		t.Errorf("%d requests failed; the first: %v", n, firstErr.Load())
	}
	if heapAfter > heapBefore+4<<20 {
		t.Errorf("the resting heap grew from %d to %d bytes", heapBefore, heapAfter)
	}
	if goAfter > goBefore+5 {
		t.Errorf("goroutines grew from %d to %d", goBefore, goAfter)
	}
}

// restingHeap is the live heap and the goroutine count once idle
// connections have closed and the garbage has been collected.
func restingHeap() (uint64, int) {
	var m runtime.MemStats
	for range 3 {
		time.Sleep(100 * time.Millisecond)
		runtime.GC()
	}
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, runtime.NumGoroutine()
}

// BenchmarkAnalyze times one request of the live page, per example: parse,
// layout, SVG and contraction order.
func BenchmarkAnalyze(b *testing.B) {
	s := newServer(b, Options{})
	for _, e := range examples.All() {
		body, _ := json.Marshal(analyzeRequest{Text: e.Text})
		b.Run(e.Name, func(b *testing.B) {
			for b.Loop() {
				r := httptest.NewRequest(http.MethodPost, "/api/analyze", bytes.NewReader(body))
				r.Header.Set("X-Strand", "1")
				w := httptest.NewRecorder()
				s.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatal(w.Body)
				}
			}
		})
	}
}

// BenchmarkEval times the numbers of the seed's contraction example.
func BenchmarkEval(b *testing.B) {
	s := newServer(b, Options{})
	e, _ := examples.Get("contraction")
	body, _ := json.Marshal(evalRequest{Text: e.Text, Seed: 1})
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/api/eval", bytes.NewReader(body))
		r.Header.Set("X-Strand", "1")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatal(w.Body)
		}
	}
}
