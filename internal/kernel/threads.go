package kernel

import (
	"runtime"
	"sync/atomic"
)

// threadLimit is the setting of SetThreads; 0 follows GOMAXPROCS.
var threadLimit atomic.Int64

// SetThreads sets how many goroutines one call of this package may use by
// default, the caller's included (Options.Threads overrides it per call),
// and returns the previous setting. n ≤ 0 restores the default, which
// follows runtime.GOMAXPROCS. It is what torch.set_num_threads and
// OPENBLAS_NUM_THREADS are to those libraries: a process-wide setting, safe
// to change at any time, seen by calls that start afterwards.
func SetThreads(n int) int {
	return int(threadLimit.Swap(int64(max(n, 0))))
}

// Threads returns the number of goroutines a call uses by default: the
// setting of SetThreads, capped at runtime.GOMAXPROCS(0), or GOMAXPROCS
// when there is none.
func Threads() int {
	procs := runtime.GOMAXPROCS(0)
	if n := int(threadLimit.Load()); n > 0 {
		return min(n, procs)
	}
	return procs
}
