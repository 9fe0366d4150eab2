//go:build amd64 && !purego

package kernel

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// The assembly loops of vec_amd64.s; n must be a multiple of 16 (float64)
// or 32 (float32).

//go:noescape
func ddotAVX2(x, y *float64, n int) float64

//go:noescape
func sdotAVX2(x, y *float32, n int) float32

//go:noescape
func dsumAVX2(x *float64, n int) float64

//go:noescape
func ssumAVX2(x *float32, n int) float32

//go:noescape
func ddotAVX512(x, y *float64, n int) float64

//go:noescape
func sdotAVX512(x, y *float32, n int) float32

//go:noescape
func dsumAVX512(x *float64, n int) float64

//go:noescape
func ssumAVX512(x *float32, n int) float32

//go:noescape
func dscalAVX2(alpha float64, x, out *float64, n int)

//go:noescape
func sscalAVX2(alpha float32, x, out *float32, n int)

//go:noescape
func daxpbyAVX2(alpha, beta float64, x, out *float64, n int)

//go:noescape
func saxpbyAVX2(alpha, beta float32, x, out *float32, n int)

//go:noescape
func dmulAVX2(alpha float64, x, y, out *float64, n int)

//go:noescape
func smulAVX2(alpha float32, x, y, out *float32, n int)

//go:noescape
func dmuladdAVX2(alpha, beta float64, x, y, out *float64, n int)

//go:noescape
func smuladdAVX2(alpha, beta float32, x, y, out *float32, n int)

//go:noescape
func dscalNTAVX2(alpha float64, x, out *float64, n int)

//go:noescape
func sscalNTAVX2(alpha float32, x, out *float32, n int)

//go:noescape
func dmulNTAVX2(alpha float64, x, y, out *float64, n int)

//go:noescape
func smulNTAVX2(alpha float32, x, y, out *float32, n int)

// vecAVX2 reports whether the assembly loops can run.
var vecAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// vecAVX512 reports whether the reductions run their AVX-512 loops.
var vecAVX512 = vecAVX2 && cpu.X86.HasAVX512F

// blocks returns the length of the prefix of n elements of T that the
// assembly handles (0 when it cannot run or T is complex).
func blocks[T Elem](n int) int {
	if !vecAVX2 {
		return 0
	}
	var z T
	switch any(z).(type) {
	case float64:
		return n &^ 15
	case float32:
		return n &^ 31
	}
	return 0
}

func dotAsm[T Elem](x, y []T) (T, int) {
	n := blocks[T](len(x))
	if n == 0 {
		return 0, 0
	}
	var z T
	_, is64 := any(z).(float64)
	switch {
	case is64 && vecAVX512:
		return as[T](ddotAVX512(p64(x), p64(y), n)), n
	case is64:
		return as[T](ddotAVX2(p64(x), p64(y), n)), n
	case vecAVX512:
		return as[T](sdotAVX512(p32(x), p32(y), n)), n
	}
	return as[T](sdotAVX2(p32(x), p32(y), n)), n
}

func sumAsm[T Elem](x []T) (T, int) {
	n := blocks[T](len(x))
	if n == 0 {
		return 0, 0
	}
	var z T
	_, is64 := any(z).(float64)
	switch {
	case is64 && vecAVX512:
		return as[T](dsumAVX512(p64(x), n)), n
	case is64:
		return as[T](dsumAVX2(p64(x), n)), n
	case vecAVX512:
		return as[T](ssumAVX512(p32(x), n)), n
	}
	return as[T](ssumAVX2(p32(x), n)), n
}

// streamHead returns how many leading elements of out precede a 32-byte
// boundary, where the streaming loops must start (0 unless stream is set
// and they can run).
func streamHead[T Elem](out []T, stream bool) int {
	if !stream || blocks[T](len(out)) == 0 {
		return 0
	}
	size := int(unsafe.Sizeof(out[0]))
	return min(len(out), (32-int(uintptr(unsafe.Pointer(&out[0]))%32))%32/size)
}

func scaleAsm[T Elem](alpha, beta T, x, out []T, stream bool) int {
	n := blocks[T](len(out))
	if n == 0 {
		return 0
	}
	var z T
	_, is64 := any(z).(float64)
	switch {
	case is64 && stream:
		dscalNTAVX2(f64(alpha), p64(x), p64(out), n)
	case is64 && beta == 0:
		dscalAVX2(f64(alpha), p64(x), p64(out), n)
	case is64:
		daxpbyAVX2(f64(alpha), f64(beta), p64(x), p64(out), n)
	case stream:
		sscalNTAVX2(f32(alpha), p32(x), p32(out), n)
	case beta == 0:
		sscalAVX2(f32(alpha), p32(x), p32(out), n)
	default:
		saxpbyAVX2(f32(alpha), f32(beta), p32(x), p32(out), n)
	}
	return n
}

func mulAsm[T Elem](alpha, beta T, x, y, out []T, stream bool) int {
	n := blocks[T](len(out))
	if n == 0 {
		return 0
	}
	var z T
	_, is64 := any(z).(float64)
	switch {
	case is64 && stream:
		dmulNTAVX2(f64(alpha), p64(x), p64(y), p64(out), n)
	case is64 && beta == 0:
		dmulAVX2(f64(alpha), p64(x), p64(y), p64(out), n)
	case is64:
		dmuladdAVX2(f64(alpha), f64(beta), p64(x), p64(y), p64(out), n)
	case stream:
		smulNTAVX2(f32(alpha), p32(x), p32(y), p32(out), n)
	case beta == 0:
		smulAVX2(f32(alpha), p32(x), p32(y), p32(out), n)
	default:
		smuladdAVX2(f32(alpha), f32(beta), p32(x), p32(y), p32(out), n)
	}
	return n
}
