//go:build unix

package interp

import "syscall"

// cpuSeconds returns the user+system CPU time of this process, so that
// benchmarks can report it next to wall time on a machine shared with
// other work.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
