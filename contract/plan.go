package contract

import (
	"fmt"
	"slices"

	"github.com/strand-tn/strand/path"
)

// searchWorthFLOPs is the greedy cost above which the default planner
// searches for a better path: below it the contraction takes less time
// (about 1e9 FLOPs, tens of milliseconds) than a search might save.
const searchWorthFLOPs = 1e9

// plan chooses a contraction path for p with the optimizer opts names, which
// sees each operand's distinct labels (a diagonal is taken before any pair).
// With no method named, the greedy path is kept when its cost is small and
// improved with "auto" otherwise.
func plan(p *problem, opts path.Options) ([][]int, error) {
	switch len(p.inputs) {
	case 1:
		return [][]int{{0}}, nil
	case 2:
		return [][]int{{0, 1}}, nil // the only order there is
	}
	pp := pathProblem(p)
	if opts.Method == "" && opts.MemoryLimit == 0 {
		greedy := path.Greedy(pp)
		if c, err := path.PathCost(pp, greedy); err == nil && c.Flops < searchWorthFLOPs {
			return greedy, nil
		}
	}
	steps, _, err := path.Optimize(pp, opts)
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	return steps, nil
}

// pathProblem is p as index sets and sizes, the optimizer's view of it.
func pathProblem(p *problem) path.Problem {
	pp := path.Problem{Output: slices.Clone(p.output), Sizes: slices.Clone(p.sizes), Names: slices.Clone(p.names)}
	for _, in := range p.inputs {
		var set []int
		for _, l := range in {
			if !slices.Contains(set, l) {
				set = append(set, l)
			}
		}
		pp.Inputs = append(pp.Inputs, set)
	}
	return pp
}
