package kernel

import (
	"sync"
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

type task struct {
	j    job
	part int
	wg   *sync.WaitGroup
}

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
	for t := range tasks {
		t.j.do(t.part, ws)
		t.wg.Done()
	}
}

// parallel runs parts 0…parts-1 of j, part 0 on the calling goroutine (with
// workspace ws) and the others on pool workers, and waits for all of them.
func parallel(parts int, j job, wg *sync.WaitGroup, ws *workspace) {
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
		wg.Add(parts - 1)
		for p := 1; p < parts; p++ {
			tasks <- task{j: j, part: p, wg: wg}
		}
	}
	j.do(0, ws)
	wg.Wait()
}
