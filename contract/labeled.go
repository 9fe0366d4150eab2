package contract

import (
	"fmt"
	"slices"

	"github.com/strand-tn/strand/tensor"
)

// Labeled is a tensor whose axes carry leg names, so that contractions join
// legs by name (as ITensor does) and index mix-ups cannot happen.
type Labeled[T tensor.Elem] struct {
	Data *tensor.Dense[T]
	Legs []string // one name per axis, distinct
}

// Label names the axes of t. It returns an error when the number of names
// differs from t's rank or a name repeats.
func Label[T tensor.Elem](t *tensor.Dense[T], legs ...string) (Labeled[T], error) {
	if len(legs) != t.Rank() {
		return Labeled[T]{}, fmt.Errorf("contract: %d leg names for a tensor of rank %d", len(legs), t.Rank())
	}
	for i, l := range legs {
		if slices.Contains(legs[:i], l) {
			return Labeled[T]{}, fmt.Errorf("contract: leg %q named twice", l)
		}
	}
	return Labeled[T]{t, slices.Clone(legs)}, nil
}

// Dim returns the size of the named leg, or -1 if there is none.
func (x Labeled[T]) Dim(leg string) int {
	if i := slices.Index(x.Legs, leg); i >= 0 {
		return x.Data.Dim(i)
	}
	return -1
}

// Rename returns x with leg old called new (a view; data shared). Renaming a
// leg stops it from joining a contraction, like priming an ITensor index.
func (x Labeled[T]) Rename(old, new string) (Labeled[T], error) {
	i := slices.Index(x.Legs, old)
	if i < 0 {
		return Labeled[T]{}, fmt.Errorf("contract: no leg %q in [%v]", old, x.Legs)
	}
	if old != new && slices.Contains(x.Legs, new) {
		return Labeled[T]{}, fmt.Errorf("contract: leg %q already exists", new)
	}
	legs := slices.Clone(x.Legs)
	legs[i] = new
	return Labeled[T]{x.Data, legs}, nil
}

// Transpose returns x with its axes in the given leg order (a view).
func (x Labeled[T]) Transpose(legs ...string) (Labeled[T], error) {
	if len(legs) != len(x.Legs) {
		return Labeled[T]{}, fmt.Errorf("contract: order %v does not list the legs %v", legs, x.Legs)
	}
	perm := make([]int, len(legs))
	for i, l := range legs {
		perm[i] = slices.Index(x.Legs, l)
		if perm[i] < 0 || slices.Contains(perm[:i], perm[i]) {
			return Labeled[T]{}, fmt.Errorf("contract: order %v does not list the legs %v", legs, x.Legs)
		}
	}
	return Labeled[T]{x.Data.Permute(perm...), slices.Clone(legs)}, nil
}

// Contract joins the legs of xs that share a name and sums over them; legs
// named once are the result's, in order of first appearance. A name on three
// or more tensors is a hyperedge, summed once.
func Contract[T tensor.Elem](xs ...Labeled[T]) (Labeled[T], error) {
	s, count := Spec{}, map[string]int{}
	ops := make([]*tensor.Dense[T], len(xs))
	for k, x := range xs {
		s.Inputs = append(s.Inputs, x.Legs)
		ops[k] = x.Data
		for _, l := range x.Legs {
			count[l]++
		}
	}
	s.Output = []string{}
	for _, x := range xs {
		for _, l := range x.Legs {
			if count[l] == 1 {
				s.Output = append(s.Output, l)
			}
		}
	}
	out, err := Einsum(s, ops...)
	if err != nil {
		return Labeled[T]{}, err
	}
	return Labeled[T]{out, s.Output}, nil
}
