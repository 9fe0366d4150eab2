package kernel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// buffers are one goroutine's packing buffers for element type T.
type buffers[T Float] struct {
	a, b []T // packed block of A (mc×kc) and of B (kc×nc)
	edge []T // a padded last panel of B for kernels that cannot mask
	tile []T // an MR×NR scratch tile
}

// workspace holds a goroutine's buffers for both element types.
type workspace struct {
	f64 buffers[float64]
	f32 buffers[float32]
}

// wsPool hands workspaces to calling goroutines; workers own theirs.
var wsPool = sync.Pool{New: func() any { return new(workspace) }}

func buffersOf[T Float](ws *workspace) *buffers[T] {
	var z T
	if _, ok := any(z).(float64); ok {
		return any(&ws.f64).(*buffers[T])
	}
	return any(&ws.f32).(*buffers[T])
}

// grow returns (*buf)[:n], first replacing *buf by a 64-byte aligned slice
// when it is too short. Buffers only grow, so a warm workspace allocates
// nothing.
func grow[T Float](buf *[]T, n int) []T {
	if cap(*buf) < n {
		var z T
		size := int(unsafe.Sizeof(z))
		s := make([]T, n+64/size)
		skip := (64 - int(uintptr(unsafe.Pointer(&s[0]))%64)) % 64 / size
		*buf = s[skip : skip+n : skip+n]
	}
	return (*buf)[:n]
}

// A job is work split into parts that run concurrently.
type job interface {
	do(part int, ws *workspace)
}

// gate is what the parts of one parallel call synchronize on: the number
// of parts still running on workers, which the caller polls.
type gate struct {
	pending atomic.Int64
}

type task struct {
	j    job
	part int
	g    *gate
}

// spinFor is how long a worker polls for its next task before it blocks,
// and how long a caller polls for its parts before it sleeps between
// polls. Waking a blocked goroutine's OS thread takes tens of microseconds
// on a bare machine and a few hundred on a virtual one whose other vCPU
// has gone idle, longer than many parallel regions last; thread pools of
// BLAS libraries and OpenMP runtimes spin likewise (OpenBLAS for about
// 2²⁸ cycles). The pollers yield the processor between polls.
const spinFor = time.Millisecond

// workers is a pool of goroutines that run job parts; it grows to the
// largest thread count asked for and lives as long as the program, like a
// BLAS thread pool.
var workers struct {
	mu      sync.Mutex
	started int
	tasks   chan task
}

func worker(tasks <-chan task) {
	ws := new(workspace)
	for {
		t, ok := nextTask(tasks)
		if !ok {
			return
		}
		t.j.do(t.part, ws)
		t.g.pending.Add(-1) // the last use of t: the caller may return now
	}
}

// nextTask polls tasks for spinFor, then blocks on it. With a single
// processor there is nothing to gain from polling: it blocks at once.
func nextTask(tasks <-chan task) (task, bool) {
	if runtime.GOMAXPROCS(0) > 1 {
		for start := time.Now(); time.Since(start) < spinFor; {
			select {
			case t, ok := <-tasks:
				return t, ok
			default:
				runtime.Gosched()
			}
		}
	}
	t, ok := <-tasks
	return t, ok
}

// parallel runs parts 0…parts-1 of j, part 0 on the calling goroutine (with
// workspace ws) and the others on pool workers, and waits for all of them;
// g must not be in use by another call.
func parallel(parts int, j job, g *gate, ws *workspace) {
	if parts > 1 {
		workers.mu.Lock()
		if workers.tasks == nil {
			workers.tasks = make(chan task, 64)
		}
		for ; workers.started < parts-1; workers.started++ {
			go worker(workers.tasks)
		}
		tasks := workers.tasks
		workers.mu.Unlock()
		g.pending.Store(int64(parts - 1))
		for p := 1; p < parts; p++ {
			tasks <- task{j: j, part: p, g: g}
		}
	}
	j.do(0, ws)
	start := time.Now()
	for g.pending.Load() != 0 {
		if time.Since(start) < spinFor {
			runtime.Gosched()
		} else {
			time.Sleep(spinFor / 10)
		}
	}
}
