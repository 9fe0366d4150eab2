package contract

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/tensor"
)

// RandomInputs returns seeded random values for the tensors a resolved
// program reads, in order, each drawn to honour its kind: isometries and unitaries have
// orthonormal columns (V†V = I contracting the legs away from the tip),
// symmetric tensors are symmetrised, and general tensors are standard normal.
func RandomInputs(prog *network.Program, seed uint64) ([]*tensor.Dense[float64], error) {
	nodes := inputNodes(prog)
	r := rand.New(rand.NewPCG(seed, 0x5757_2a4d))
	var out []*tensor.Dense[float64]
	for k := range prog.Inputs {
		in := prog.Inputs[k]
		t, err := randomOfKind(r, in, nodes[k])
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// inputNodes finds, for each input, a node that reads it (its kind and legs).
func inputNodes(prog *network.Program) map[int]*network.Node {
	found := map[int]*network.Node{}
	var walk func(x *network.Expr)
	walk = func(x *network.Expr) {
		if x == nil {
			return
		}
		for _, term := range x.Terms {
			for _, n := range term.Net.Nodes {
				if n.Input >= 0 && found[n.Input] == nil {
					found[n.Input] = n
				}
				if n.Bubble != nil {
					for _, a := range n.Bubble.Args {
						walk(a)
					}
				}
			}
		}
	}
	for _, st := range prog.Statements {
		walk(st.LHS)
		walk(st.RHS)
	}
	return found
}

func randomOfKind(r *rand.Rand, in network.Input, node *network.Node) (*tensor.Dense[float64], error) {
	if node == nil {
		return tensor.RandNormal[float64](r, in.Shape...), nil
	}
	switch node.Kind {
	case network.Isometry, network.Unitary:
		return randomIsometry(r, in, node)
	case network.Symmetric:
		return symmetrise(tensor.RandNormal[float64](r, in.Shape...)), nil
	}
	return tensor.RandNormal[float64](r, in.Shape...), nil
}

// randomIsometry draws V with orthonormal columns when its data axes are
// grouped into rows (the legs away from the tip) and columns (the tip legs):
// the Q factor of a Gaussian matrix, which is Haar distributed.
func randomIsometry(r *rand.Rand, in network.Input, node *network.Node) (*tensor.Dense[float64], error) {
	rank := len(in.Shape)
	// Data axis a is leg a, or leg rank−1−a of a transposed node.
	isTip := make([]bool, rank)
	for _, leg := range node.Tip {
		a := leg
		if node.Transpose {
			a = rank - 1 - leg
		}
		isTip[a] = true
	}
	if len(node.Tip) == 0 && rank > 0 {
		smallest := 0
		for a, d := range in.Shape {
			if d < in.Shape[smallest] {
				smallest = a
			}
		}
		isTip[smallest] = true
	}
	var rows, cols []int
	nr, nc := 1, 1
	for a, d := range in.Shape {
		if isTip[a] {
			cols, nc = append(cols, a), nc*d
		} else {
			rows, nr = append(rows, a), nr*d
		}
	}
	if nr < nc {
		return nil, fmt.Errorf("contract: %s cannot be an isometry: its tip legs hold %d values, the others only %d", in.Name, nc, nr)
	}
	g := mat.NewDense(nr, nc, tensor.RandNormal[float64](r, nr, nc).Data())
	var qr mat.QR
	qr.Factorize(g)
	var q mat.Dense
	qr.QTo(&q)
	thin := make([]float64, 0, nr*nc)
	for i := range nr {
		thin = append(thin, q.RawRowView(i)[:nc]...)
	}
	shape := make([]int, 0, rank)
	for _, a := range slices.Concat(rows, cols) {
		shape = append(shape, in.Shape[a])
	}
	t := tensor.MustFromSlice(thin, shape...)
	// Back to data order: axis a of the result is axis inv[a] of t.
	inv := make([]int, rank)
	for i, a := range slices.Concat(rows, cols) {
		inv[a] = i
	}
	return t.Permute(inv...).Clone(), nil
}

// symmetrise returns the average of t over all permutations of its axes.
func symmetrise(t *tensor.Dense[float64]) *tensor.Dense[float64] {
	sum := tensor.Zeros[float64](t.Shape()...)
	n := 0
	var perm func(p []int, rest []int)
	perm = func(p, rest []int) {
		if len(rest) == 0 {
			sum.AddScaled(1, t.Permute(p...))
			n++
			return
		}
		for i, a := range rest {
			perm(append(p, a), slices.Concat(rest[:i], rest[i+1:]))
		}
	}
	axes := make([]int, t.Rank())
	for a := range axes {
		axes[a] = a
	}
	perm(nil, axes)
	return sum.Scale(1 / float64(n))
}
