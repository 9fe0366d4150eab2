//go:build !linux

package kernel

// yieldThread does nothing where sched_yield(2) is not at hand: pollers
// yield only to goroutines (runtime.Gosched).
func yieldThread() {}
