package network

import (
	"hash/fnv"
	"slices"
	"testing"

	"github.com/strand-tn/strand/notation"
)

// checkErr fails unless err comes from notation or network with a position
// inside the source.
func checkErr(t *testing.T, src string, err error) {
	t.Helper()
	pos, ok := Position(err)
	if !ok {
		t.Fatalf("%q: error %v (%T) is not a package error", src, err, err)
	}
	if pos < 0 || pos > len(src) {
		t.Fatalf("%q: error %v at %d, outside the input", src, err, pos)
	}
}

// labelSize picks a size in 1..3 for a label, varied by seed.
func labelSize(label string, seed byte) int {
	h := fnv.New32a()
	h.Write([]byte(label))
	return 1 + int((h.Sum32()+uint32(seed))%3)
}

// checkLowering checks that a network lowers and that each operand's dims
// agree with its legs.
func checkLowering(t *testing.T, src string, n *Network) {
	t.Helper()
	_ = n.String()
	low, err := n.Einsum()
	if err != nil {
		checkErr(t, src, err)
		return
	}
	for _, op := range low.Operands {
		if len(op.Labels) != len(op.Dims) {
			t.Fatalf("%q: operand %+v", src, op)
		}
		sum := 0
		for _, s := range op.Split {
			sum += s
		}
		if sum != len(op.Labels) {
			t.Fatalf("%q: operand %s splits %v into %d labels", src, op.Name, op.Split, len(op.Labels))
		}
		for i, l := range op.Labels {
			if d := op.Dims[i]; d != low.Sizes[l] && d != 1 {
				t.Fatalf("%q: operand %s label %s dim %d, size %d", src, op.Name, l, d, low.Sizes[l])
			}
		}
	}
}

func FuzzFromEinsum(f *testing.F) {
	for _, s := range []string{"ij,jk->ik", "...ij,...jk->...ik", "i α β, β, β α j -> i j", "(i j) k, j -> i k",
		"i, j, -> i j", "ii->i", ",ab,->ab", "a b ... -> (b ...) a"} {
		f.Add(s, []byte{0, 2, 1})
	}
	f.Fuzz(func(t *testing.T, src string, seed []byte) {
		e, err := notation.ParseEinsum(src)
		if err != nil {
			return
		}
		if len(seed) == 0 {
			seed = []byte{0}
		}
		ell := int(seed[0] % 3)
		var shapes [][]int
		for k, term := range e.Inputs {
			var shape []int
			for _, a := range term.Axes {
				switch a.Kind {
				case notation.AxisName:
					shape = append(shape, labelSize(a.Name, seed[0]))
				case notation.AxisEllipsis:
					for j := range ell - k%2 {
						shape = append(shape, 1+j)
					}
				case notation.AxisGroup:
					d := 1
					for _, m := range a.Group {
						d *= labelSize(m.Name, seed[0])
					}
					shape = append(shape, d)
				}
			}
			shapes = append(shapes, shape)
		}
		if len(seed) > 2 && len(shapes) > 0 { // sometimes break a shape
			s := shapes[int(seed[1])%len(shapes)]
			if len(s) > 0 {
				s[int(seed[2])%len(s)] += int(seed[2] % 2)
			}
		}
		n, err := FromEinsum(e, shapes)
		if err != nil {
			checkErr(t, src, err)
			return
		}
		checkLowering(t, src, n)
	})
}

// legNamesOf lists the leg names written in a program.
func legNamesOf(p *notation.Program) []string {
	var names []string
	add := func(n string) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for _, s := range p.Stmts {
		var xs []notation.Expr
		switch s := s.(type) {
		case *notation.AssignStmt:
			xs = []notation.Expr{s.LHS, s.RHS}
		case *notation.ExprStmt:
			xs = []notation.Expr{s.X}
		case *notation.EquationStmt:
			xs = []notation.Expr{s.LHS, s.RHS}
		}
		for _, x := range xs {
			walkTensors(x, func(t *notation.Tensor) {
				for _, a := range notation.Flatten(t.Legs) {
					add(a.Name)
				}
			})
		}
	}
	return names
}

func FuzzFromProgram(f *testing.F) {
	for _, s := range []string{
		"M[i j] = A[i α β] v[β] B[β α j]", "y[i] = x[i] + 0.5 W[i j] x[j] - b[i]",
		"A[h q k] = softmax_k(Q[h q d] K[h k d])", "K[(i k) (j l)] = I5[i j] I3[k l]\nI5: identity",
		"U: isometry(i -> j)\nV†[k j] V[j i] == I[k i]", "A[k q] = δ[k q+1]", "Σ_h Q[h q d] K[h k d]",
		"D: diagonal\ny[i] = D[i j] x[j]  @D(0, 1)\n@left(i)", "s[h] = sum_k(A[h k] B[h k])",
	} {
		f.Add(s, byte(0))
	}
	f.Fuzz(func(t *testing.T, src string, seed byte) {
		p, err := notation.ParseProgram(src)
		if err != nil {
			return
		}
		dims := map[string]int{}
		for _, n := range legNamesOf(p) {
			dims[n] = labelSize(n, seed)
		}
		opts := ProgramOptions{}
		if seed%2 == 0 {
			opts.Dims = dims
		}
		prog, err := FromProgram(p, opts)
		if err != nil {
			checkErr(t, src, err)
			return
		}
		for _, st := range prog.Statements {
			for _, x := range []*Expr{st.LHS, st.RHS} {
				if x == nil {
					continue
				}
				_ = x.String()
				for _, term := range x.Terms {
					checkLowering(t, src, term.Net)
				}
			}
		}
	})
}

func FuzzPlanPattern(f *testing.F) {
	for _, s := range []string{"b (h w) c -> b h w c", "i j k l -> (i l) (k j)", "a ... c d e -> a (...) c d e",
		"1 b c d -> (d copy 1) 3 b c", "b c h w -> b c () ()", "a b -> a"} {
		f.Add(s, byte(0), []byte{2, 3, 4, 1})
	}
	f.Fuzz(func(t *testing.T, src string, op byte, dims []byte) {
		p, err := notation.ParsePattern(src)
		if err != nil {
			return
		}
		var shape []int
		for _, d := range dims[:min(len(dims), 6)] {
			shape = append(shape, int(d%4))
		}
		ops := []notation.Op{notation.OpRearrange, notation.OpReduce, notation.OpRepeat}
		sizes := map[string]int{}
		for _, a := range notation.Flatten(p.Right.Axes) {
			if a.Kind == notation.AxisName {
				sizes[a.Name] = labelSize(a.Name, op)
			}
		}
		if op%2 == 0 {
			sizes = nil
		}
		plan, err := PlanPattern(ops[int(op)%3], p, shape, sizes, "sum")
		if err != nil {
			checkErr(t, src, err)
			return
		}
		if prod(plan.AxisSizes) != prod(plan.InShape) || prod(plan.OutShape) != prod(plan.Repeat) ||
			len(plan.Expand) != len(plan.Repeat) || len(plan.Perm)+len(plan.Reduced) != len(plan.Axes) {
			t.Fatalf("%q %v: inconsistent plan %+v", src, shape, plan)
		}
		perm := slices.Clone(plan.Perm)
		slices.Sort(perm)
		for i, v := range perm {
			if v != i {
				t.Fatalf("%q: Perm %v is not a permutation", src, plan.Perm)
			}
		}
		if prod(plan.Repeat) <= 4096 {
			runPlan(plan)
		}
	})
}
