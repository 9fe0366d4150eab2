package strand

import "github.com/strand-tn/strand/internal/kernel"

// SetThreads sets how many goroutines strand may use for one operation (a
// matrix product, a copy, a reduction, the slices of a sliced contraction,
// the rows of a transformer's elementwise steps) and returns the previous
// setting; n ≤ 0 restores the default, runtime.GOMAXPROCS. Like
// torch.set_num_threads it is process-wide, and operations that start
// afterwards see it. Path search keeps its own worker count
// (random-greedy uses GOMAXPROCS goroutines).
func SetThreads(n int) int { return kernel.SetThreads(n) }

// Threads returns the number of goroutines one operation uses: the setting
// of SetThreads, at most runtime.GOMAXPROCS(0), or GOMAXPROCS without one.
func Threads() int { return kernel.Threads() }
