package kernel

import "fmt"

// Strided is an n-d strided view of a flat slice: for an array of some
// shape, element (i₀, …, iₙ₋₁) is
//
//	Data[Off + Σₐ iₐ·Strides[a]].
//
// Permuted, sliced, broadcast (stride 0) and diagonal views of a tensor are
// all Strided views of its backing slice.
type Strided[T Elem] struct {
	Data    []T
	Off     int
	Strides []int
}

// check validates a view against shape and returns its extent (see extent).
func (v Strided[T]) check(name string, shape []int) (lo, hi int, ok bool, err error) {
	if len(shape) > maxRank {
		return 0, 0, false, fmt.Errorf("kernel: rank %d is above the limit %d", len(shape), maxRank)
	}
	if len(v.Strides) != len(shape) {
		return 0, 0, false, fmt.Errorf("kernel: %s has %d strides for %d dimensions", name, len(v.Strides), len(shape))
	}
	return extent(name, len(v.Data), v.Off, shape, v.Strides)
}

// nd is an iteration space shared by up to three operands: the axes of size
// above one, each with one stride per operand, outermost first.
type nd struct {
	ops     int
	rank    int
	shape   [maxRank]int
	strides [3][maxRank]int
}

// newND collects the axes of shape of size above one with the strides of
// ops operands (strides[0…ops-1]). The shape must be valid and not empty.
func newND(shape []int, ops int, strides [3][]int) nd {
	l := nd{ops: ops}
	for a, d := range shape {
		if d == 1 {
			continue
		}
		l.shape[l.rank] = d
		for op := 0; op < ops; op++ {
			l.strides[op][l.rank] = strides[op][a]
		}
		l.rank++
	}
	return l
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// weight is the sort key of axis a: Σ |stride| over the operands in mask.
func (l *nd) weight(a int, mask [3]bool) int {
	w := 0
	for op := 0; op < l.ops; op++ {
		if mask[op] {
			w += abs(l.strides[op][a])
		}
	}
	return w
}

// order sorts the axes by decreasing weight (see weight), so the innermost
// loop walks the operands in mask with the smallest strides.
func (l *nd) order(mask [3]bool) {
	for i := 1; i < l.rank; i++ {
		for j := i; j > 0 && l.weight(j-1, mask) < l.weight(j, mask); j-- {
			l.swap(j-1, j)
		}
	}
}

func (l *nd) swap(a, b int) {
	l.shape[a], l.shape[b] = l.shape[b], l.shape[a]
	for op := 0; op < l.ops; op++ {
		l.strides[op][a], l.strides[op][b] = l.strides[op][b], l.strides[op][a]
	}
}

// merge fuses each axis with the next inner one when every operand steps
// over the inner axis exactly: stride[a] = stride[a+1]·shape[a+1].
func (l *nd) merge() {
	r := 0
	for a := 1; a < l.rank; a++ {
		fuse := true
		for op := 0; op < l.ops; op++ {
			fuse = fuse && l.strides[op][r] == l.strides[op][a]*l.shape[a]
		}
		if fuse {
			l.shape[r] *= l.shape[a]
			for op := 0; op < l.ops; op++ {
				l.strides[op][r] = l.strides[op][a]
			}
			continue
		}
		r++
		l.shape[r] = l.shape[a]
		for op := 0; op < l.ops; op++ {
			l.strides[op][r] = l.strides[op][a]
		}
	}
	if l.rank > 0 {
		l.rank = r + 1
	}
}

// each calls fn with the operands' offsets for every index of the axes
// outside the innermost `inner` ones, starting from offsets off.
func (l *nd) each(inner int, off [3]int, fn func(off [3]int)) {
	outer := l.rank - inner
	var idx [maxRank]int
	for {
		fn(off)
		a := outer - 1
		for ; a >= 0; a-- {
			idx[a]++
			for op := 0; op < l.ops; op++ {
				off[op] += l.strides[op][a]
			}
			if idx[a] < l.shape[a] {
				break
			}
			idx[a] = 0
			for op := 0; op < l.ops; op++ {
				off[op] -= l.strides[op][a] * l.shape[a]
			}
		}
		if a < 0 {
			return
		}
	}
}

// size returns the number of indices of l.
func (l *nd) size() int {
	n := 1
	for a := 0; a < l.rank; a++ {
		n *= l.shape[a]
	}
	return n
}

// Splitting loops between goroutines.
const (
	// loopWork is the least number of elements worth a goroutine of its
	// own in the copy and reduction loops (tens of microseconds).
	loopWork = 1 << 16
	// maxChunks bounds the partial sums of a split full reduction.
	maxChunks = 64
)

// loopJob runs body on chunks of an iteration space: chunk c covers indices
// c·e/chunks … (c+1)·e/chunks - 1 of axis `axis` (of extent e) and every
// index of the other axes; part p of parts runs chunks p·chunks/parts … .
type loopJob struct {
	l             nd
	off           [3]int
	axis          int
	chunks, parts int
	body          func(l *nd, off [3]int, chunk int)
}

func (j *loopJob) do(part int, _ *workspace) {
	e := j.l.shape[j.axis]
	for c := part * j.chunks / j.parts; c < (part+1)*j.chunks/j.parts; c++ {
		lo, hi := c*e/j.chunks, (c+1)*e/j.chunks
		sub, off := j.l, j.off
		sub.shape[j.axis] = hi - lo
		for op := 0; op < sub.ops; op++ {
			off[op] += lo * sub.strides[op][j.axis]
		}
		j.body(&sub, off, c)
	}
}

// split runs body on `chunks` chunks of l along axis, spread over up to
// Threads() goroutines (the caller's included). The chunks do not depend
// on the number of goroutines, so neither does the result.
func split(l *nd, off [3]int, axis, chunks int, body func(l *nd, off [3]int, chunk int)) {
	j := &loopJob{l: *l, off: off, axis: axis, chunks: chunks, parts: min(chunks, Threads()), body: body}
	if j.parts == 1 {
		j.do(0, nil)
		return
	}
	parallel(j.parts, j.parts-1, j, new(gate), nil)
}

// chunksFor returns how many chunks of at least loopWork elements l splits
// into along axis (1: not worth splitting).
func chunksFor(l *nd, axis int) int {
	return max(1, min(l.size()/loopWork, l.shape[axis], maxChunks))
}

// splitAxis returns the outermost axis accepted by ok whose extent is at
// least want, or else the accepted axis of largest extent; -1 when ok
// accepts none.
func splitAxis(l *nd, want int, ok func(a int) bool) int {
	best := -1
	for a := 0; a < l.rank; a++ {
		if !ok(a) {
			continue
		}
		if l.shape[a] >= want {
			return a
		}
		if best < 0 || l.shape[a] > l.shape[best] {
			best = a
		}
	}
	return best
}
