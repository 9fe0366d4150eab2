//go:build !amd64 || purego

package kernel

// kernelSets lists the kernel sets for this platform: only the pure-Go one.
func kernelSets[T Float]() []*kernelSet[T] {
	return []*kernelSet[T]{goKernel[T]()}
}
