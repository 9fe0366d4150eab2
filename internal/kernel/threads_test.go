package kernel

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestSetThreads: the setting is returned, capped at GOMAXPROCS, and
// restored by n ≤ 0; with one thread, Options{} resolves to one goroutine
// and split runs its chunks one after another on the caller.
func TestSetThreads(t *testing.T) {
	prev := SetThreads(0)
	t.Cleanup(func() { SetThreads(prev) })
	procs := runtime.GOMAXPROCS(0)
	if got := Threads(); got != procs {
		t.Errorf("default Threads() = %d, want GOMAXPROCS %d", got, procs)
	}
	if old := SetThreads(1); old != 0 {
		t.Errorf("SetThreads returned %d, want the previous setting 0", old)
	}
	if got := Threads(); got != 1 {
		t.Errorf("Threads() = %d after SetThreads(1)", got)
	}
	if got, want := (Options{}).threads(), 1; got != want {
		t.Errorf("Options{}.threads() = %d, want %d", got, want)
	}
	if got := (Options{Threads: 3}).threads(); got != 3 {
		t.Errorf("Options{Threads: 3}.threads() = %d: the call's own setting must win", got)
	}

	l := newND([]int{1 << 20}, 1, [3][]int{{1}})
	var active, most atomic.Int32
	chunks := 0
	split(&l, [3]int{}, 0, 8, func(_ *nd, _ [3]int, _ int) {
		n := active.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(200 * time.Microsecond)
		active.Add(-1)
		chunks++ // one goroutine: no race
	})
	if most.Load() != 1 || chunks != 8 {
		t.Errorf("with one thread, split ran %d chunks with up to %d at once; want 8, one at a time", chunks, most.Load())
	}

	if old := SetThreads(procs + 5); old != 1 {
		t.Errorf("SetThreads returned %d, want 1", old)
	}
	if got := Threads(); got != procs {
		t.Errorf("Threads() = %d, want it capped at GOMAXPROCS %d", got, procs)
	}
	SetThreads(-3)
	if got := Threads(); got != procs {
		t.Errorf("Threads() = %d after SetThreads(-3), want the default %d", got, procs)
	}
}

// TestParallel: every part runs exactly once, from several callers at once
// and from inside a part (the caller claims what no worker takes, so a
// nested call cannot deadlock).
func TestParallel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for parts := 0; parts <= 9; parts++ {
		var calls [9]atomic.Int32
		var nested atomic.Int32
		done := make(chan struct{})
		for range 3 {
			go func() {
				Parallel(parts, func(p int) {
					calls[p].Add(1)
					Parallel(2, func(int) { nested.Add(1) })
				})
				done <- struct{}{}
			}()
		}
		for range 3 {
			<-done
		}
		for p := range calls {
			want := int32(0)
			if p < parts {
				want = 3
			}
			if got := calls[p].Load(); got != want {
				t.Errorf("parts=%d: part %d ran %d times, want %d", parts, p, got, want)
			}
		}
		if got, want := nested.Load(), int32(6*parts); got != want {
			t.Errorf("parts=%d: %d nested parts ran, want %d", parts, got, want)
		}
	}
	// Many parts are taken in turn by at most Threads() goroutines: the
	// pool does not grow past Threads()-1 workers for them.
	workers.mu.Lock()
	before := workers.started
	workers.mu.Unlock()
	var ran atomic.Int32
	Parallel(50, func(int) { ran.Add(1) })
	workers.mu.Lock()
	after := workers.started
	workers.mu.Unlock()
	if ran.Load() != 50 || after > max(before, Threads()-1) {
		t.Errorf("Parallel(50): %d parts ran, workers %d → %d (Threads() = %d)", ran.Load(), before, after, Threads())
	}
}
