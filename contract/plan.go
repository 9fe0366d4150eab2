package contract

// plan chooses a contraction path for p.
func plan(p *problem) [][]int {
	// Left to right until the path optimizer is wired in.
	steps := make([][]int, 0, len(p.inputs))
	if len(p.inputs) == 1 {
		return [][]int{{0}}
	}
	for range len(p.inputs) - 1 {
		steps = append(steps, []int{0, 1})
	}
	return steps
}
