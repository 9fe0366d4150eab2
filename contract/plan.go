package contract

import (
	"slices"

	"github.com/strand-tn/strand/path"
)

// plan chooses a contraction path for p with the greedy optimizer, which sees
// each operand's distinct labels (a diagonal is taken before any pair).
func plan(p *problem) [][]int {
	if len(p.inputs) == 1 {
		return [][]int{{0}}
	}
	return path.Greedy(pathProblem(p))
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
