package path

import (
	"fmt"
	"math"
	"math/big"
	"slices"
)

// slice chooses labels to slice so that every intermediate of path fits in limit
// elements. Only labels outside the output are sliced: each slice fixes them to
// one value, and the slices' results add up to the full result. The path stays the
// same; slicing label ℓ divides the size of every step whose labels include ℓ by
// size(ℓ) and multiplies the number of slices by it. Labels are chosen greedily:
// each round takes the label with the least growth of total FLOPs (over all
// slices) per unit of shrinkage of the oversized intermediates.
//
// It returns the sliced labels (sorted) and the cost over all slices: total FLOPs
// and write, and the per-slice largest intermediate.
func (m *model) slice(path Path, limit int64) ([]int, Cost, error) {
	if err := m.checkLimit(limit); err != nil {
		return nil, Cost{}, err
	}
	steps, _, err := m.evaluate(path)
	if err != nil {
		return nil, Cost{}, err
	}
	flops := make([]float64, len(steps)) // per-slice cost of each step
	size := make([]float64, len(steps))  // per-slice size of each result
	inUnion := make([][]int32, m.nl)     // steps whose labels include ℓ
	inResult := make([][]int32, m.nl)    // steps whose results include ℓ
	for i, st := range steps {
		flops[i], size[i] = st.flops, st.size
		st.union.each(func(l int) { inUnion[l] = append(inUnion[l], int32(i)) })
		st.result.each(func(l int) { inResult[l] = append(inResult[l], int32(i)) })
	}
	var sliced []int
	lim := float64(limit)
	for {
		var total, largest, write float64
		for i := range steps {
			total += flops[i]
			write += size[i]
			largest = max(largest, size[i])
		}
		if largest <= lim {
			slices.Sort(sliced)
			n := sliceCount(m.p.Sizes, sliced)
			return sliced, Cost{Flops: total * n, Largest: largest, Write: write * n}, nil
		}
		// Score each candidate by the growth of total FLOPs (over all slices) per
		// unit of progress, progress being how much it shrinks the oversized
		// results: Σ_{oversized results with ℓ} min(log size(ℓ), log(|result|/limit)).
		count := sliceCount(m.p.Sizes, sliced)
		best, bestScore := -1, math.Inf(1)
		for l := 0; l < m.nl; l++ {
			d := m.sizes[l]
			if d <= 1 || m.output.has(l) || slices.Contains(sliced, l) {
				continue
			}
			perSlice, progress := total, 0.0
			for _, i := range inResult[l] {
				if size[i] > lim {
					progress += min(math.Log(d), math.Log(size[i]/lim))
				}
			}
			if progress == 0 {
				continue
			}
			for _, i := range inUnion[l] {
				perSlice -= flops[i] * (1 - 1/d)
			}
			score := math.Log(perSlice*count*d/(total*count)) / progress
			if score < bestScore {
				best, bestScore = l, score
			}
		}
		if best < 0 {
			// Every oversized result has only output labels or labels of size 1,
			// so it is no larger than the output, which fits.
			return nil, Cost{}, fmt.Errorf("path: internal error: no label left to slice")
		}
		sliced = append(sliced, best)
		for _, i := range inUnion[best] {
			flops[i] /= m.sizes[best]
		}
		for _, i := range inResult[best] {
			size[i] /= m.sizes[best]
		}
	}
}

// checkLimit reports whether a memory limit can be met at all: the output must fit.
func (m *model) checkLimit(limit int64) error {
	out := bigSize(m.output, m.p.Sizes)
	if out.Cmp(big.NewInt(limit)) > 0 {
		return fmt.Errorf("path: memory limit %d elements cannot be met: the output alone has %s elements (width %.1f); the smallest feasible limit is %s",
			limit, out, math.Log2(m.output.sizeOf(m.sizes)), out)
	}
	return nil
}

// sliceCount is the number of slices, Π_{ℓ∈sliced} size(ℓ), as float64.
func sliceCount(sizes []int, sliced []int) float64 {
	n := 1.0
	for _, l := range sliced {
		n *= float64(sizes[l])
	}
	return n
}
