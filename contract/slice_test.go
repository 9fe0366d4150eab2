package contract

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/strand-tn/strand/internal/kernel"
	"github.com/strand-tn/strand/path"
	"github.com/strand-tn/strand/tensor"
)

// largestIntermediate returns the elements of the output and of the largest
// step result of the path Compile plans for s without a memory limit.
func largestIntermediate(t *testing.T, s Spec, shapes [][]int) (out, largest int64, steps [][]int) {
	t.Helper()
	e, err := Compile[float64](s, Options{MemoryLimit: -1}, shapes...)
	if err != nil {
		t.Fatal(err)
	}
	c, err := path.PathCost(pathProblem(e.p), e.Path())
	if err != nil {
		t.Fatal(err)
	}
	return e.p.elements(e.p.output), int64(c.Largest), e.Path()
}

// TestSlicedMatchesNaive draws random contractions (hyperedges, diagonals,
// broadcast axes, traces), sets a memory limit between the output's size and
// the plain path's largest intermediate, and checks the sliced evaluation
// against Naive to 1e-12 relative.
func TestSlicedMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	sliced := 0
	for trial := 0; trial < 4000 && sliced < 300; trial++ {
		s, shapes := randomProblem(r)
		for k := range shapes { // labels b, d, f twice as large, so that slicing pays
			for a, l := range s.Inputs[k] {
				if shapes[k][a] > 1 {
					shapes[k][a] *= 1 + int(l[0]-'a')%2
				}
			}
		}
		out, largest, _ := largestIntermediate(t, s, shapes)
		if largest <= max(out, 1) {
			continue
		}
		limit := max(out, 1) + r.Int64N(largest-max(out, 1))
		ops := randOps(r, shapes...)
		want, err := Naive(s, ops...)
		if err != nil {
			t.Fatal(err)
		}
		opts := Options{MemoryLimit: 8 * limit}
		e, err := Compile[float64](s, opts, shapes...)
		if err != nil {
			t.Fatalf("trial %d %v %v limit %d: %v", trial, s, shapes, limit, err)
		}
		got, err := e.Eval(ops...)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, fmt.Sprintf("trial %d %v %v limit %d sliced %v", trial, s, shapes, limit, e.Sliced()), got, want)
		if e.Slices() > 1 {
			sliced++
			for _, l := range e.Sliced() {
				if slices.Contains(s.Output, l) {
					t.Fatalf("trial %d: sliced output label %s", trial, l)
				}
			}
		}
	}
	if sliced < 100 {
		t.Fatalf("only %d random contractions were sliced", sliced)
	}
	t.Logf("%d sliced contractions checked", sliced)
}

// ladder is the seed's ladder generalised to L rungs (the MPS norm ⟨ψ|ψ⟩):
// T_k[t_{k−1} r_k t_k] and B_k[b_{k−1} r_k b_k], rungs of size d, bonds of
// size D, scalar output.
func ladder(L, d, D int, r *rand.Rand) (Spec, []*tensor.Dense[float64]) {
	var s Spec
	var ops []*tensor.Dense[float64]
	for k := range L {
		for _, side := range []string{"t", "b"} {
			var labels []string
			var shape []int
			if k > 0 {
				labels, shape = append(labels, fmt.Sprint(side, k-1)), append(shape, D)
			}
			labels, shape = append(labels, fmt.Sprint("r", k)), append(shape, d)
			if k < L-1 {
				labels, shape = append(labels, fmt.Sprint(side, k)), append(shape, D)
			}
			s.Inputs = append(s.Inputs, labels)
			ops = append(ops, tensor.RandUniform[float64](r, 0, 1, shape...))
		}
	}
	s.Output = []string{}
	return s, ops
}

// TestSlicedLadder: a ladder whose every path needs D² elements per
// intermediate, evaluated under a limit of D elements, equals the unsliced
// value (relative 1e-12), with the sliced labels bonds.
func TestSlicedLadder(t *testing.T) {
	s, ops := ladder(6, 3, 12, rand.New(rand.NewPCG(3, 5)))
	want, err := Eval(s, Options{}, ops...)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Compile[float64](s, Options{MemoryLimit: 8 * 12}, shapesOf(ops)...)
	if err != nil {
		t.Fatal(err)
	}
	if e.Slices() < 12 || len(e.Sliced()) == 0 {
		t.Fatalf("sliced %v into %d slices, want at least 12", e.Sliced(), e.Slices())
	}
	info, err := e.Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.Slices.Int64() != int64(e.Slices()) || len(info.Sliced) != len(e.Sliced()) || info.Largest.Int64() > 12 {
		t.Fatalf("Info: %v slices over %v, largest intermediate %v; want %d slices over %v, largest ≤ 12", info.Slices, info.Sliced, info.Largest, e.Slices(), e.Sliced())
	}
	got, err := e.Eval(ops...)
	if err != nil {
		t.Fatal(err)
	}
	if d := tensor.MaxAbsDiff(got, want); d > 1e-12*want.MaxAbs() {
		t.Fatalf("sliced %v: %v, want %v", e.Sliced(), got.Item(), want.Item())
	}
	// The same through Eval, which compiles on the fly.
	got, err = Eval(s, Options{MemoryLimit: 8 * 12}, ops...)
	if err != nil || tensor.MaxAbsDiff(got, want) > 1e-12*want.MaxAbs() {
		t.Fatalf("Eval with a limit: %v %v", got, err)
	}
}

// TestSlicedComplex checks a sliced complex contraction against Naive.
func TestSlicedComplex(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 1))
	s := spec("ab,bcd,de,ec", "a")
	shapes := [][]int{{3, 6}, {6, 5, 6}, {6, 6}, {6, 5}}
	ops := make([]*tensor.Dense[complex128], len(shapes))
	for k, sh := range shapes {
		ops[k] = tensor.RandNormal[complex128](r, sh...)
	}
	want, err := Naive(s, ops...)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Compile[complex128](s, Options{MemoryLimit: 16 * 6}, shapes...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Eval(ops...)
	if err != nil {
		t.Fatal(err)
	}
	if e.Slices() == 1 {
		t.Fatal("not sliced")
	}
	if d := tensor.MaxAbsDiff(got, want); d > 1e-12*want.MaxAbs() {
		t.Fatalf("max diff %g", d)
	}
}

func TestSlicingRefusals(t *testing.T) {
	a := tensor.Zeros[float64](10, 10)
	// The result itself does not fit: no slicing helps, and the message says
	// how much would.
	_, err := Eval(spec("ij,jk", "ik"), Options{MemoryLimit: 400}, a, a)
	var me *MemoryError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "smallest feasible memory limit is 800 B (width 6.6)") {
		t.Fatalf("output over the limit: %v", err)
	}
	// An explicit path is refused rather than re-planned.
	_, err = Eval(spec("ij,jk,ki", ""), Options{MemoryLimit: 400, Path: [][]int{{0, 1}, {0, 1}}}, a, a, a)
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "explicit path") || !strings.Contains(err.Error(), "800 B") {
		t.Fatalf("explicit path over the limit: %v", err)
	}
	// Without a path the same contraction is sliced.
	e, err := Compile[float64](spec("ij,jk,ki", ""), Options{MemoryLimit: 400, Plan: path.Options{Method: "greedy"}}, a.Shape(), a.Shape(), a.Shape())
	if err != nil || e.Slices() == 1 {
		t.Fatalf("planned: %v, %d slices", err, e.Slices())
	}
}

// TestSliceWorkers: the number of slices run at once follows GOMAXPROCS, the
// number of slices and the memory limit.
func TestSliceWorkers(t *testing.T) {
	s := &slicing{count: 3, perWork: 100, limit: 1000}
	if w := s.workers(); w < 1 || w > 3 {
		t.Errorf("3 slices: %d workers", w)
	}
	s = &slicing{count: 1000, perWork: 100, limit: 150}
	if w := s.workers(); w != 1 {
		t.Errorf("memory for one worker: %d workers", w)
	}
}

// TestSliceValues: slice numbers enumerate every combination of the sliced
// labels' values once, the last label fastest.
func TestSliceValues(t *testing.T) {
	p := &problem{sizes: []int{2, 3, 4}}
	s := &slicing{labels: []int{2, 0}, count: 8}
	var got [][2]int
	for i := range s.count {
		got = append(got, [2]int{s.value(p, i, 0), s.value(p, i, 1)})
	}
	want := [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}, {3, 0}, {3, 1}}
	if !slices.Equal(got, want) {
		t.Errorf("values %v, want %v", got, want)
	}
}

// BenchmarkSlicedGreedyTrap evaluates opt_einsum's greedy trap (B4,
// xyf,xtf,ytpf,fr->tpr, 2.7·10⁷ FLOPs along the optimal path) plainly and under
// a limit of 10⁵ elements, which slices f (59 slices, no FLOP overhead).
func BenchmarkSlicedGreedyTrap(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	s := spec("xyf,xtf,ytpf,fr", "tpr")
	ops := randOps(r, []int{35, 37, 59}, []int{35, 51, 59}, []int{37, 51, 51, 59}, []int{59, 27})
	for _, c := range []struct {
		name  string
		limit int64
	}{{"plain", -1}, {"sliced", 8e5}} {
		e, err := Compile[float64](s, Options{MemoryLimit: c.limit, Plan: path.Options{Method: "optimal"}}, shapesOf(ops)...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%s/slices=%d", c.name, e.Slices()), func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Eval(ops...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSliceWorkersThreads: at most kernel.Threads slices run at once.
func TestSliceWorkersThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	defer kernel.SetThreads(kernel.SetThreads(1))
	s := &slicing{count: 16}
	if w := s.workers(); w != 1 {
		t.Errorf("SetThreads(1): %d slices at once, want 1", w)
	}
	kernel.SetThreads(0)
	if w := s.workers(); w != 4 {
		t.Errorf("default: %d slices at once, want GOMAXPROCS = 4", w)
	}
}
