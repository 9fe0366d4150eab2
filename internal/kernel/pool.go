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

// gate is what the goroutines of one parallel call synchronize on: the
// parts not yet claimed, counted down (each claim takes the part the count
// falls to), and the parts done, which the caller polls. Whoever is free
// claims the next part, the caller too once its own is done, so a part
// whose worker has not started (its thread not yet running, or busy with
// another call) is done by the caller rather than waited for.
type gate struct {
	left, done atomic.Int64
}

// runParts claims and runs parts of j until none is left.
func (g *gate) runParts(j job, ws *workspace) {
	for p := g.left.Add(-1); p >= 0; p = g.left.Add(-1) {
		j.do(int(p), ws)
		g.done.Add(1)
	}
}

// A task asks a worker to join the call of j that synchronizes on g. A
// worker that comes to it after the call has ended finds no part left (or,
// should g already serve the next call of the same job, joins that one).
type task struct {
	j job
	g *gate
}

// spinFor is how long a worker polls for its next task before it blocks,
// and how long a caller polls for its parts before it sleeps between
// polls. Waking a blocked goroutine's OS thread takes tens of microseconds
// on a bare machine and a few hundred on a virtual one whose other vCPU
// has gone idle, longer than many parallel regions last; thread pools of
// BLAS libraries and OpenMP runtimes spin likewise (OpenBLAS for about
// 2²⁸ cycles). Between polls a poller yields to other goroutines and to
// other threads, lest it keep a thread it waits for off the processor
// when another process busies one: with a busy loop on one of two vCPUs,
// a two-thread n = 512 product took 5.7 ms when pollers yielded only to
// goroutines, 4.8 ms when they also yield to threads (one thread: 5.9 ms).
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
		t.g.runParts(t.j, ws)
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
				yieldThread()
			}
		}
	}
	t, ok := <-tasks
	return t, ok
}

// Parallel calls f(0), …, f(parts-1), spread over the calling goroutine and
// up to Threads()-1 of the pool's workers (the goroutines that run this
// package's parallel products and loops, kept polling between calls), each
// taking the next part as it comes free, and returns when all have
// returned. A part should be worth tens of microseconds at least.
func Parallel(parts int, f func(part int)) {
	switch {
	case parts == 1:
		f(0)
	case parts > 1:
		parallel(parts, min(parts, Threads())-1, funcJob(f), new(gate), nil)
	}
}

// funcJob is a job whose parts are calls of one function.
type funcJob func(part int)

func (f funcJob) do(part int, _ *workspace) { f(part) }

// parallel runs parts 0…parts-1 of j on the calling goroutine (with
// workspace ws) and up to helpers pool workers, and waits for all of them;
// g must not be in use by another call, and j's fields must be set before.
func parallel(parts, helpers int, j job, g *gate, ws *workspace) {
	g.done.Store(0)
	g.left.Store(int64(parts)) // after done's reset and j's fields: a claim sees both
	if helpers > 0 {
		workers.mu.Lock()
		if workers.tasks == nil {
			workers.tasks = make(chan task, 64)
		}
		for ; workers.started < helpers; workers.started++ {
			go worker(workers.tasks)
		}
		tasks := workers.tasks
		workers.mu.Unlock()
		for range helpers {
			tasks <- task{j: j, g: g}
		}
	}
	g.runParts(j, ws)
	start := time.Now()
	for g.done.Load() != int64(parts) {
		if time.Since(start) < spinFor {
			runtime.Gosched()
			yieldThread()
		} else {
			time.Sleep(spinFor / 10)
		}
	}
}
