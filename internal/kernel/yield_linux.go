//go:build linux

package kernel

import "syscall"

// yieldThread offers the OS thread's processor to another runnable thread
// (sched_yield(2)), so that a poller does not keep a thread it waits for
// off its processor when there are more runnable threads than processors.
func yieldThread() { syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0) }
