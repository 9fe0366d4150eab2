package contract

import (
	"fmt"

	"github.com/strand-tn/strand/tensor"
)

// NaiveLimit bounds the number of label assignments [Naive] will visit.
const NaiveLimit = 1 << 26

// Naive evaluates the contraction by the definition, visiting every assignment
// of every label once:
//
//	out[o…] = Σ_{all labels} Π_k operand_k[labels of k]
//
// It is slow (the product of all label sizes) and exists as the oracle that the
// fast paths are tested against. It refuses problems with more than
// [NaiveLimit] assignments.
func Naive[T tensor.Elem](s Spec, ops ...*tensor.Dense[T]) (*tensor.Dense[T], error) {
	p, err := resolve(s, shapesOf(ops))
	if err != nil {
		return nil, err
	}
	all := make([]int, len(p.sizes))
	for l := range all {
		all[l] = l
	}
	if n := p.elements(all); n > NaiveLimit {
		return nil, fmt.Errorf("contract: naive evaluation would visit %d assignments (limit %d)", n, NaiveLimit)
	}
	out := tensor.Zeros[T](p.shapeOf(p.output)...)
	if out.Size() == 0 {
		return out, nil
	}
	value := make([]int, len(p.sizes))
	idx := make([][]int, len(ops))
	for k := range ops {
		idx[k] = make([]int, len(p.inputs[k]))
	}
	oidx := make([]int, len(p.output))
	for {
		prod := T(1)
		for k, op := range ops {
			for a, l := range p.inputs[k] {
				if op.Dim(a) == 1 {
					idx[k][a] = 0 // broadcast axis
				} else {
					idx[k][a] = value[l]
				}
			}
			prod *= op.At(idx[k]...)
		}
		for a, l := range p.output {
			oidx[a] = value[l]
		}
		out.Set(out.At(oidx...)+prod, oidx...)
		// Next assignment.
		l := len(value) - 1
		for ; l >= 0; l-- {
			value[l]++
			if value[l] < p.sizes[l] {
				break
			}
			value[l] = 0
		}
		if l < 0 {
			return out, nil
		}
	}
}
