package contract

import (
	"fmt"
	"math"
	"slices"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/tensor"
)

// Rearrange runs a resolved einops rearrange, reduce or repeat plan on x:
// split x into its elementary axes, reduce, permute, insert and broadcast new
// axes, and group into the output axes (see network.Plan). The result is a new
// contiguous tensor.
func Rearrange[T tensor.Elem](plan *network.Plan, x *tensor.Dense[T], opts Options) (*tensor.Dense[T], error) {
	if !slices.Equal(x.Shape(), plan.InShape) {
		return nil, fmt.Errorf("contract: the pattern was resolved for shape %v, the tensor has %v", plan.InShape, x.Shape())
	}
	n, ok := tensor.SizeOf(plan.OutShape)
	if !ok {
		return nil, fmt.Errorf("contract: output shape %v is too large", plan.OutShape)
	}
	if err := checkSize[T](plan.OutAxes, int64(n), memoryLimit(opts)); err != nil {
		return nil, err
	}
	y, err := x.Reshape(plan.AxisSizes...)
	if err != nil {
		return nil, fmt.Errorf("contract: %v", err)
	}
	if len(plan.Reduced) > 0 {
		if y, err = reduceAxes(y, plan.Reduced, plan.Reduction); err != nil {
			return nil, err
		}
	}
	y = y.Permute(plan.Perm...)
	if y, err = y.Reshape(plan.Expand...); err != nil {
		return nil, fmt.Errorf("contract: %v", err)
	}
	if y, err = y.BroadcastTo(plan.Repeat...); err != nil {
		return nil, fmt.Errorf("contract: %v", err)
	}
	return y.Clone().Reshape(plan.OutShape...)
}

// reductionOps maps a reduce name to its fold over a row of values.
var reductionOps = map[string]func(xs []float64) float64{
	"sum":  reductions["sum"],
	"mean": reductions["mean"],
	"max":  reductions["max"],
	"min":  reductions["min"],
	"prod": reductions["prod"],
	"any": func(xs []float64) float64 {
		for _, x := range xs {
			if x != 0 {
				return 1
			}
		}
		return 0
	},
	"all": func(xs []float64) float64 {
		for _, x := range xs {
			if x == 0 || math.IsNaN(x) {
				return 0
			}
		}
		return 1
	},
}

// reduceAxes folds the given axes of y away with the named reduction.
func reduceAxes[T tensor.Elem](y *tensor.Dense[T], axes []int, name string) (*tensor.Dense[T], error) {
	if name == "sum" {
		labels := make([]int, y.Rank())
		for a := range labels {
			labels[a] = a
		}
		return sumLabels(operand[T]{t: y, labels: labels}, axes).t, nil
	}
	fold, ok := reductionOps[name]
	if !ok {
		return nil, fmt.Errorf("contract: unknown reduction %q", name)
	}
	if !isReal[T]() {
		return nil, fmt.Errorf("contract: reduction %s is defined for real tensors only", name)
	}
	var keep, perm []int
	for a := range y.Rank() {
		if !contains(axes, a) {
			keep = append(keep, a)
		}
	}
	perm = append(append(perm, keep...), axes...)
	moved := y.Permute(perm...).Clone()
	shape := moved.Shape()[:len(keep)]
	out := tensor.Zeros[T](shape...)
	od, data := out.Backing(), moved.Backing()
	row := make([]float64, len(data)/max(1, len(od)))
	if len(od) > 0 && len(data) == 0 {
		row = nil
	}
	for r := range od {
		for i := range row {
			row[i] = toFloat(data[r*len(row)+i])
		}
		od[r] = tensor.FromFloat[T](fold(row))
	}
	return out, nil
}
