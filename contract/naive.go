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
	// step[k][l] moves operand k's position when label l advances by one:
	// the sum of the strides of its axes carrying l (a diagonal), 0 where
	// the axis broadcasts. Operand len(ops) is the output.
	step := make([][]int, len(ops)+1)
	pos := make([]int, len(ops)+1)
	data := make([][]T, len(ops)+1)
	for k := range step {
		step[k] = make([]int, len(p.sizes))
		t, labels := out, p.output
		if k < len(ops) {
			t, labels = ops[k], p.inputs[k]
		}
		strides := t.Strides()
		for a, l := range labels {
			if t.Dim(a) != 1 {
				step[k][l] += strides[a]
			}
		}
		pos[k], data[k] = t.Offset(), t.Backing()
	}
	value := make([]int, len(p.sizes))
	for {
		prod := T(1)
		for k := range ops {
			prod *= data[k][pos[k]]
		}
		data[len(ops)][pos[len(ops)]] += prod
		// Next assignment: advance the last label, carrying into earlier ones.
		l := len(value) - 1
		for ; l >= 0; l-- {
			value[l]++
			for k := range pos {
				pos[k] += step[k][l]
			}
			if value[l] < p.sizes[l] {
				break
			}
			for k := range pos {
				pos[k] -= value[l] * step[k][l]
			}
			value[l] = 0
		}
		if l < 0 {
			return out, nil
		}
	}
}
