//go:build !amd64 || purego

package kernel

// Without assembly the vector loops of vec.go do all the work.

func dotAsm[T Elem](x, y []T) (T, int)                             { return 0, 0 }
func sumAsm[T Elem](x []T) (T, int)                                { return 0, 0 }
func scaleAsm[T Elem](alpha, beta T, x, out []T, stream bool) int  { return 0 }
func mulAsm[T Elem](alpha, beta T, x, y, out []T, stream bool) int { return 0 }
func streamHead[T Elem](out []T, stream bool) int                  { return 0 }
