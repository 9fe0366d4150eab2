package kernel

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
)

// TestMicroKernels runs every kernel of every set on every tile shape it
// accepts (mr ≤ MR, and nr ≤ NR when masked, NR otherwise) against the
// naive loop, with A in several layouts and guards around C.
func TestMicroKernels(t *testing.T) {
	testMicroKernels(t, sets64)
	testMicroKernels(t, sets32)
}

func testMicroKernels[T Float](t *testing.T, sets []*kernelSet[T]) {
	rng := newRand(1)
	for _, ks := range sets {
		for _, k := range []int{1, 3, 4, 5, 17} {
			for mr := 1; mr <= ks.mr; mr++ {
				for nr := 1; nr <= ks.nr; nr++ {
					if !ks.masked && nr != ks.nr {
						continue
					}
					what := fmt.Sprintf("%s/%s k=%d mr=%d nr=%d", typeName[T](), ks.name, k, mr, nr)
					la := layout(rng.IntN(int(numStrided)))
					a := newGuarded[T](rng, mr, k, la)
					b := newGuarded[T](rng, k, nr, rowMajor)
					c := newGuarded[T](rng, mr, nr, rowMajor)
					alpha, beta := T(1.5), T(0.5)
					if (mr+nr)%2 == 0 {
						beta = 0
						for i := 0; i < mr; i++ {
							for j := 0; j < nr; j++ {
								c.Data[c.Off+i*c.RowStride+j] = T(math.NaN())
							}
						}
					}
					want := naiveGemm(alpha, a.Matrix, b.Matrix, beta, c.Matrix)
					ks.tile(k, a.Data, a.Off, a.RowStride, a.ColStride, b.Data, b.Off, b.RowStride, c.Data, c.Off, c.RowStride, mr, nr, alpha, beta)
					c.checkGuards(t, what)
					compare(t, what, c.Matrix, want, tolerance[T](k))
				}
			}
		}
	}
}

type gemmShape struct{ m, n, k int }

// gemmShapes covers the size classes: direct small products (m·n·k ≤
// smallWork), packed ones, products over several cache blocks (m > mc,
// n > nc, k > kc) and the odd sizes 1, 2, 7, 33, 65, 127, 1023.
var gemmShapes = []gemmShape{
	{1, 1, 1}, {1, 7, 1}, {2, 2, 2}, {7, 1, 33}, {7, 7, 7}, {8, 24, 16}, {9, 25, 17},
	{6, 16, 4}, {33, 65, 127}, {65, 33, 7}, {127, 1, 65}, {1, 127, 65}, {64, 64, 64},
	{65, 65, 65}, {127, 127, 33}, {1023, 7, 33}, {2, 1023, 129}, {33, 65, 1023},
	{40, 600, 100}, {600, 40, 100}, {200, 401, 300},
}

// scalarCases are the (α, β) pairs the driver tests cycle through; β = 0
// runs with NaN in C, which must not show.
var scalarCases = [][2]float64{{1, 0}, {-0.5, 1}, {2, 0.25}, {1, 1}}

// TestGemm checks the driver against the naive loop for every kernel set,
// shape class and layout of A, B and C (row-major, column-major, no unit
// stride, transposed without unit stride, negative row stride), on 1 to 3
// goroutines, with guards around every operand.
func TestGemm(t *testing.T) {
	testGemm(t, sets64)
	testGemm(t, sets32)
}

func testGemm[T Float](t *testing.T, sets []*kernelSet[T]) {
	rng := newRand(2)
	for _, ks := range sets {
		run := 0
		for si, s := range gemmShapes {
			for la := range numLayouts {
				for lb := range numLayouts {
					// All 25 layout pairs on small shapes, two on the large ones
					// (A and B alike, a different pair for each shape).
					pick, pick2 := layout(si%int(numLayouts)), layout((si+2)%int(numLayouts))
					if s.m*s.n*s.k > smallWork && (la != lb || (la != pick && la != pick2)) {
						continue
					}
					lc := (la + 2*lb) % numStrided
					sc := scalarCases[run%len(scalarCases)]
					threads := 1 + run%3
					run++
					what := fmt.Sprintf("%s/%s %dx%dx%d A=%v B=%v C=%v α=%v β=%v threads=%d", typeName[T](), ks.name, s.m, s.n, s.k, la, lb, lc, sc[0], sc[1], threads)
					checkGemm(t, what, ks, rng, s, la, lb, lc, T(sc[0]), T(sc[1]), threads)
				}
			}
		}
	}
}

// checkGemm runs one product through gemmChecked and checks C and every guard.
func checkGemm[T Float](t *testing.T, what string, ks *kernelSet[T], rng interface {
	IntN(int) int
	Float64() float64
}, s gemmShape, la, lb, lc layout, alpha, beta T, threads int) {
	t.Helper()
	r := newRand(uint64(rng.IntN(1 << 30)))
	a := newGuarded[T](r, s.m, s.k, la)
	b := newGuarded[T](r, s.k, s.n, lb)
	c := newGuarded[T](r, s.m, s.n, lc)
	if beta == 0 {
		for i := 0; i < s.m; i++ {
			for j := 0; j < s.n; j++ {
				c.Data[c.Off+i*c.RowStride+j*c.ColStride] = T(math.NaN())
			}
		}
	}
	want := naiveGemm(alpha, a.Matrix, b.Matrix, beta, c.Matrix)
	if err := gemmChecked(ks, 1, alpha, a.Matrix, 0, b.Matrix, 0, beta, c.Matrix, 0, Options{Threads: threads}); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	a.checkGuards(t, what+" (A)")
	b.checkGuards(t, what+" (B)")
	c.checkGuards(t, what+" (C)")
	compare(t, what, c.Matrix, want, tolerance[T](s.k))
}

// TestGemmRowGroups checks products split into groups of row slivers taken
// in turn (B one block) for layouts of A and B, on the best kernel sets:
// every candidate shape, with rows that do not fill the last group (and a
// B wider than nc where the set's blocks allow one), on each count of 2 to 4
// goroutines that splits it so. Each set must reach row groups on some.
func TestGemmRowGroups(t *testing.T) {
	rng := newRand(7)
	shapes := []gemmShape{{329, 100, 150}, {250, 150, 200}, {329, 250, 150}, {329, 400, 128}}
	testGemmRowGroups(t, rng, sets64[0], shapes, func(layout) layout { return rowMajor }, 1, 0.5)
	testGemmRowGroups(t, rng, sets32[0], shapes, func(la layout) layout { return la % numStrided }, -2, 0)
}

func testGemmRowGroups[T Float](t *testing.T, rng interface {
	IntN(int) int
	Float64() float64
}, ks *kernelSet[T], shapes []gemmShape, cLayout func(layout) layout, alpha, beta T) {
	reached := 0
	for _, s := range shapes {
		var counts []int
		for threads := 2; threads <= 4; threads++ {
			work := float64(s.m) * float64(s.n) * float64(s.k)
			mode, _ := splitOf(ks, Matrix[T]{ColStride: 1}, 1, s.m, s.n, s.k, threads)
			if goroutines(work, Options{Threads: threads}) == threads && mode == splitRowGroups {
				counts = append(counts, threads)
			}
		}
		if len(counts) == 0 {
			continue
		}
		for la := range numLayouts {
			for lb := range numLayouts {
				if reached > 0 && (la+lb)%7 != 0 {
					continue // after the first shape, a few layout pairs only
				}
				threads := counts[int(la+lb)%len(counts)]
				what := fmt.Sprintf("%s/%s %v A=%v B=%v threads=%d", typeName[T](), ks.name, s, la, lb, threads)
				checkGemm(t, what, ks, rng, s, la, lb, cLayout(la), alpha, beta, threads)
			}
		}
		reached++
	}
	if reached == 0 {
		t.Fatalf("%s/%s: no shape reaches row groups on 2 to 4 goroutines", typeName[T](), ks.name)
	}
}

// TestGemmSplits forces every way of splitting one product over goroutines.
func TestGemmSplits(t *testing.T) {
	rng := newRand(3)
	for _, ks := range sets64 {
		for _, s := range []gemmShape{{40, 600, 100}, {600, 40, 100}, {300, 300, 257}, {129, 1000, 20}} {
			for threads := 2; threads <= 4; threads++ {
				what := fmt.Sprintf("%s %v threads=%d", ks.name, s, threads)
				checkGemm(t, what, ks, rng, s, rowMajor, colMajor, rowMajor, 1, 0.5, threads)
			}
		}
	}
}

// TestGemmBlocks crosses every cache block (m > mc, n > nc, k > kc) with
// operands that must be packed (no unit column stride in A, transposed or
// gapped B) on every kernel set.
func TestGemmBlocks(t *testing.T) {
	testGemmBlocks(t, sets64)
	testGemmBlocks(t, sets32)
}

func testGemmBlocks[T Float](t *testing.T, sets []*kernelSet[T]) {
	rng := newRand(7)
	for _, ks := range sets {
		for _, s := range []gemmShape{{ks.mc + 13, 30, ks.kc + 5}, {20, ks.nc + 17, ks.kc + 3}} {
			for _, l := range [][2]layout{{colMajor, colMajor}, {gapped, gappedT}} {
				what := fmt.Sprintf("%s/%s %v A=%v B=%v", typeName[T](), ks.name, s, l[0], l[1])
				checkGemm(t, what, ks, rng, s, l[0], l[1], gapped, 0.5, 2, 1)
			}
		}
	}
}

// TestGemmSpecialScalars checks α = 0 and k = 0 (C = β·C without reading A
// or B, which hold NaN) and β = 0 (C is not read).
func TestGemmSpecialScalars(t *testing.T) {
	rng := newRand(4)
	for _, ks := range sets64 {
		for _, s := range []gemmShape{{5, 9, 0}, {5, 9, 3}, {70, 80, 90}} {
			for _, beta := range []float64{0, 1, -2} {
				a := newGuarded[float64](rng, s.m, s.k, rowMajor)
				b := newGuarded[float64](rng, s.k, s.n, colMajor)
				c := newGuarded[float64](rng, s.m, s.n, gapped)
				for i := range a.Data {
					if a.inView[i] {
						a.Data[i] = math.NaN()
					}
				}
				orig := append([]float64(nil), c.Data...)
				alpha := 0.0
				if s.k == 0 {
					alpha = 3
				}
				if err := gemmChecked(ks, 1, alpha, a.Matrix, 0, b.Matrix, 0, beta, c.Matrix, 0, Options{}); err != nil {
					t.Fatal(err)
				}
				c.checkGuards(t, "special")
				for i, v := range c.Data {
					if c.inView[i] && v != beta*orig[i] {
						t.Fatalf("%s %v α=%v β=%v: C element %d = %v, want %v", ks.name, s, alpha, beta, i, v, beta*orig[i])
					}
				}
			}
		}
	}
}

// batchCase describes a batched product: operand X_t at offset t·strideX.
type batchCase struct {
	name           string
	batch          int
	s              gemmShape
	sharedA        bool // strideA = 0
	sharedB        bool // strideB = 0
	threads        int
	foldM, foldN   bool // items laid out so that the batch folds into one product
	negativeStride bool // A's items run backwards
}

// TestGemmBatched checks GemmBatched against the naive loop per item:
// separate items, shared A or B, batches that fold into one product, batches
// spread over goroutines whole or split item by item.
func TestGemmBatched(t *testing.T) {
	cases := []batchCase{
		{name: "separate", batch: 5, s: gemmShape{7, 9, 11}, threads: 2},
		{name: "one", batch: 1, s: gemmShape{7, 9, 11}},
		{name: "empty", batch: 0, s: gemmShape{7, 9, 11}},
		{name: "sharedB", batch: 3, s: gemmShape{10, 33, 12}, sharedB: true},
		{name: "sharedA", batch: 3, s: gemmShape{10, 33, 12}, sharedA: true},
		{name: "foldM", batch: 4, s: gemmShape{10, 33, 12}, sharedB: true, foldM: true},
		{name: "foldN", batch: 4, s: gemmShape{10, 33, 12}, sharedA: true, foldN: true},
		{name: "parallel batch", batch: 8, s: gemmShape{64, 64, 64}, threads: 2},
		{name: "parallel items", batch: 3, s: gemmShape{150, 150, 150}, threads: 2},
		{name: "negative stride", batch: 4, s: gemmShape{9, 30, 20}, negativeStride: true, threads: 2},
	}
	for _, ks := range sets64 {
		for _, bc := range cases {
			checkBatched(t, ks, bc)
		}
	}
	for _, ks := range sets32 {
		for _, bc := range cases {
			checkBatched(t, ks, bc)
		}
	}
}

func checkBatched[T Float](t *testing.T, ks *kernelSet[T], bc batchCase) {
	rng := newRand(5)
	what := fmt.Sprintf("%s/%s %s", typeName[T](), ks.name, bc.name)
	m, n, k, nb := bc.s.m, bc.s.n, bc.s.k, max(bc.batch, 1)
	// Each operand is one guarded matrix holding all items; items are
	// blocks of rows (A, C in foldM), of columns (B, C in foldN) or rows
	// of a taller matrix with a gap.
	var a, b, c guarded[T]
	var sa, sb, sc int
	switch {
	case bc.foldM:
		a = newGuarded[T](rng, nb*m, k, rowMajor)
		b = newGuarded[T](rng, k, n, colMajor)
		c = newGuarded[T](rng, nb*m, n, rowMajor)
		sa, sc = m*a.RowStride, m*c.RowStride
	case bc.foldN:
		a = newGuarded[T](rng, m, k, rowMajor)
		b = newGuarded[T](rng, k, nb*n, rowMajor)
		c = newGuarded[T](rng, m, nb*n, rowMajor)
		sb, sc = n, n
	default:
		// Items are stacked with one spare row between them.
		a = newGuarded[T](rng, nb*(m+1), k, rowMajor)
		b = newGuarded[T](rng, nb*(k+1), n, colMajor)
		c = newGuarded[T](rng, nb*(m+1), n, rowMajor)
		sa, sb, sc = (m+1)*a.RowStride, k+1, (m+1)*c.RowStride
		if bc.sharedA {
			sa = 0
		}
		if bc.sharedB {
			sb = 0
		}
	}
	item := func(x guarded[T], t, stride, rows, cols int) Matrix[T] {
		v := x.Matrix
		v.Off += t * stride
		v.Rows, v.Cols = rows, cols
		return v
	}
	if bc.negativeStride {
		// Walk A's items from the last to the first.
		a.Off += (nb - 1) * sa
		sa = -sa
	}
	want := make([][]float64, bc.batch)
	for t := range bc.batch {
		want[t] = naiveGemm(T(1.5), item(a, t, sa, m, k), item(b, t, sb, k, n), 0.5, item(c, t, sc, m, n))
	}
	err := gemmChecked(ks, bc.batch, 1.5, item(a, 0, 0, m, k), sa, item(b, 0, 0, k, n), sb, 0.5, item(c, 0, 0, m, n), sc, Options{Threads: bc.threads})
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	a.checkGuards(t, what+" (A)")
	b.checkGuards(t, what+" (B)")
	c.checkGuards(t, what+" (C)")
	for t2 := range bc.batch {
		compare(t, fmt.Sprintf("%s item %d", what, t2), item(c, t2, sc, m, n), want[t2], tolerance[T](k))
	}
}

// TestBLAS checks Dgemm and Sgemm, the row-major BLAS forms, on all four
// transpose combinations with leading dimensions above the minimum.
func TestBLAS(t *testing.T) {
	rng := newRand(6)
	m, n, k := 13, 29, 31
	for _, ta := range []bool{false, true} {
		for _, tb := range []bool{false, true} {
			la, lb := rowMajor, rowMajor
			if ta {
				la = colMajor
			}
			if tb {
				lb = colMajor
			}
			a := newGuarded[float64](rng, m, k, la)
			b := newGuarded[float64](rng, k, n, lb)
			c := newGuarded[float64](rng, m, n, rowMajor)
			want := naiveGemm(2, a.Matrix, b.Matrix, -1, c.Matrix)
			lda, ldb := a.RowStride, b.RowStride
			if ta {
				lda = a.ColStride
			}
			if tb {
				ldb = b.ColStride
			}
			if err := Dgemm(ta, tb, m, n, k, 2, a.Data[a.Off:], lda, b.Data[b.Off:], ldb, -1, c.Data[c.Off:], c.RowStride, Options{}); err != nil {
				t.Fatal(err)
			}
			compare(t, fmt.Sprintf("Dgemm %v %v", ta, tb), c.Matrix, want, tolerance[float64](k))

			a32 := newGuarded[float32](rng, m, k, la)
			b32 := newGuarded[float32](rng, k, n, lb)
			c32 := newGuarded[float32](rng, m, n, rowMajor)
			want = naiveGemm(2, a32.Matrix, b32.Matrix, -1, c32.Matrix)
			lda, ldb = a32.RowStride, b32.RowStride
			if ta {
				lda = a32.ColStride
			}
			if tb {
				ldb = b32.ColStride
			}
			if err := Sgemm(ta, tb, m, n, k, 2, a32.Data[a32.Off:], lda, b32.Data[b32.Off:], ldb, -1, c32.Data[c32.Off:], c32.RowStride, Options{}); err != nil {
				t.Fatal(err)
			}
			compare(t, fmt.Sprintf("Sgemm %v %v", ta, tb), c32.Matrix, want, tolerance[float32](k))
		}
	}
}

// TestGemmErrors checks that bad calls return an error naming the problem
// and leave C alone.
func TestGemmErrors(t *testing.T) {
	buf := make([]float64, 100)
	mat := func(off, r, c, rs, cs int) Matrix[float64] {
		return Matrix[float64]{Data: buf, Off: off, Rows: r, Cols: c, RowStride: rs, ColStride: cs}
	}
	other := func(r, c int) Matrix[float64] {
		return Matrix[float64]{Data: make([]float64, r*c), Rows: r, Cols: c, RowStride: c, ColStride: 1}
	}
	a, b := other(3, 4), other(4, 5)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"chain", Gemm(1, a, other(5, 5), 0, mat(0, 3, 5, 5, 1), Options{}), "do not chain"},
		{"threads", Gemm(1, a, b, 0, mat(0, 3, 5, 5, 1), Options{Threads: -1}), "negative"},
		{"short C", Gemm(1, a, b, 0, mat(90, 3, 5, 5, 1), Options{}), "outside its data"},
		{"offset", Gemm(1, a, b, 0, mat(-1, 3, 5, 5, 1), Options{}), "offset -1"},
		{"huge stride", Gemm(1, a, b, 0, mat(0, 3, 5, math.MaxInt/2, 1), Options{}), "reaches outside"},
		{"negative reach", Gemm(1, a, b, 0, mat(2, 3, 5, -5, 1), Options{}), "outside its data"},
		{"negative dim", Gemm(1, Matrix[float64]{Data: buf, Rows: -3, Cols: 4, RowStride: 4, ColStride: 1}, b, 0, mat(0, -3, 5, 5, 1), Options{}), "negative dimension"},
		{"C overlaps itself", Gemm(1, a, b, 0, mat(0, 3, 5, 0, 1), Options{}), "share memory"},
		{"C overlaps itself 2", Gemm(1, a, b, 0, mat(0, 3, 5, 2, 1), Options{}), "share memory"},
		{"C overlaps A", Gemm(1, mat(0, 3, 4, 4, 1), b, 0, mat(10, 3, 5, 5, 1), Options{}), "shares memory with A"},
		{"C overlaps B", Gemm(1, a, mat(50, 4, 5, 5, 1), 0, mat(60, 3, 5, 5, 1), Options{}), "shares memory with B"},
		{"batch", GemmBatched(-1, 1, a, 0, b, 0, 0, mat(0, 3, 5, 5, 1), 15, Options{}), "negative batch"},
		{"batch C shared", GemmBatched(2, 1, a, 0, b, 0, 0, mat(0, 3, 5, 5, 1), 0, Options{}), "share memory"},
		{"batch reach", GemmBatched(7, 1, a, 0, b, 0, 0, mat(0, 3, 5, 5, 1), 15, Options{}), "outside its data"},
		{"Dgemm dims", Dgemm(false, false, -1, 2, 2, 1, buf, 2, buf, 2, 0, buf, 2, Options{}), "negative dimension"},
		{"Dgemm lda", Dgemm(false, false, 2, 2, 3, 1, buf, 2, buf, 2, 0, make([]float64, 4), 2, Options{}), "lda = 2, want ≥ 3"},
		{"Dgemm ldb", Dgemm(false, true, 2, 4, 3, 1, buf, 3, buf, 2, 0, make([]float64, 8), 4, Options{}), "ldb = 2, want ≥ 3"},
		{"Dgemm ldc", Dgemm(false, false, 2, 2, 3, 1, buf, 3, buf, 2, 0, make([]float64, 4), 1, Options{}), "ldc = 1, want ≥ 2"},
		{"Sgemm short", Sgemm(false, false, 2, 2, 3, 1, make([]float32, 5), 3, make([]float32, 6), 2, 0, make([]float32, 4), 2, Options{}), "A reaches"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.HasPrefix(c.err.Error(), "kernel: ") || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
	for i, v := range buf {
		if v != 0 {
			t.Fatalf("a failed call wrote buf[%d] = %v", i, v)
		}
	}
	// Empty products are fine with empty slices.
	if err := Dgemm(false, false, 0, 0, 0, 1, nil, 1, nil, 1, 0, nil, 1, Options{}); err != nil {
		t.Errorf("empty Dgemm: %v", err)
	}
}

// TestGemmZeroAllocs checks that a warm small product allocates nothing.
func TestGemmZeroAllocs(t *testing.T) {
	for _, n := range []int{8, 33, 64} {
		a := make([]float64, n*n)
		b := make([]float64, n*n)
		c := make([]float64, n*n)
		allocs := testing.AllocsPerRun(100, func() {
			if err := Dgemm(false, true, n, n, n, 1, a, n, b, n, 0, c, n, Options{}); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("n=%d: %v allocations per call, want 0", n, allocs)
		}
	}
}

// TestGemmConcurrentCallers runs parallel products from several goroutines
// at once, more parts in flight than pool workers, so that parts are taken
// by whoever is free: workers that join late, callers that do parts meant
// for busy workers. Every result must match the naive loop.
func TestGemmConcurrentCallers(t *testing.T) {
	rng := newRand(9)
	s := gemmShape{160, 170, 150}
	a := newGuarded[float64](rng, s.m, s.k, rowMajor)
	b := newGuarded[float64](rng, s.k, s.n, colMajor)
	want := naiveGemm(1, a.Matrix, b.Matrix, 0, newGuarded[float64](rng, s.m, s.n, rowMajor).Matrix)
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for g := range 6 {
		wg.Go(func() {
			for r := range 6 {
				c := newGuarded[float64](newRand(uint64(g)), s.m, s.n, rowMajor)
				if err := Gemm(1, a.Matrix, b.Matrix, 0, c.Matrix, Options{Threads: 2 + (g+r)%3}); err != nil {
					errs <- err
					return
				}
				for i := range s.m {
					for j := range s.n {
						if d := math.Abs(at(c.Matrix, i, j) - want[i*s.n+j]); !(d <= tolerance[float64](s.k)) {
							errs <- fmt.Errorf("caller %d, product %d: C[%d,%d] off by %g", g, r, i, j, d)
							return
						}
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
