package layout

import (
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

// FromText draws any of strand's notations: an index-notation program (a
// figure per statement, see FromProgram), an einsum equation or a pasted
// einsum call (one figure). A drawing needs no sizes: dims gives some, and
// every leg whose size the text still leaves open is drawn as unknown.
// Errors from the parser and the resolver keep their byte offsets.
func FromText(text string, dims map[string]int, opt FromOptions) ([]Figure, error) {
	node, err := notation.Parse(text)
	if err != nil {
		return nil, err
	}
	unsized := map[string]bool{}
	for l := range opt.Unsized {
		unsized[l] = true
	}
	opt.Unsized = unsized
	var n *network.Network
	switch node := node.(type) {
	case *notation.Program:
		prog, err := resolveForDrawing(node, dims, unsized)
		if err != nil {
			return nil, err
		}
		figs, err := FromProgram(prog, node, opt)
		if err == nil && len(figs) == 0 {
			err = errorf("", "the text has no statement to draw")
		}
		return figs, err
	case *notation.Einsum:
		n, err = network.FromEinsum(node, madeUpShapes(node, nil, unsized))
	case *notation.Call:
		if node.Op != notation.OpEinsum {
			return nil, errorf("", "%s(…) is drawn from index notation: write it as R[(i l) (k j)] = T[i j k l]", node.Func)
		}
		n, err = network.FromCall(node, madeUpShapes(node.Einsum, node.Operands, unsized))
	default:
		return nil, errorf("", "cannot draw %T", node)
	}
	if err != nil {
		return nil, err
	}
	g, err := FromNetwork(n, opt)
	if err != nil {
		return nil, err
	}
	return []Figure{{Sides: []Sum{{Terms: []Term{{Graph: g}}}}}}, nil
}

// resolveForDrawing resolves a program, giving every leg whose size the
// text leaves open the size 2 and marking it unsized.
func resolveForDrawing(p *notation.Program, dims map[string]int, unsized map[string]bool) (*network.Program, error) {
	prog, err := network.FromProgram(p, network.ProgramOptions{Dims: dims, DefaultSize: 2})
	if err != nil {
		return nil, err
	}
	for _, l := range prog.Assumed {
		unsized[l] = true
	}
	return prog, nil
}

// madeUpShapes gives an einsum's operands shapes for drawing: size 2 for
// every labelled axis (a group of k labels 2^k), one axis for "...", and
// marks the labels unsized. ops, for a pasted call, skips eye(n) operands
// and gives V.T the shape of V.
func madeUpShapes(e *notation.Einsum, ops []*notation.Operand, unsized map[string]bool) [][]int {
	var shapes [][]int
	for k, t := range e.Inputs {
		if ops != nil && k < len(ops) && ops[k].Eye > 0 {
			continue
		}
		var shape []int
		for _, a := range t.Axes {
			size := 2
			switch a.Kind {
			case notation.AxisName:
				unsized[a.Name] = true
			case notation.AxisGroup:
				size = 1
				for _, m := range notation.Flatten(a.Group) {
					size *= 2
					unsized[m.Name] = true
				}
			}
			shape = append(shape, size)
		}
		if ops != nil && k < len(ops) && ops[k].Transpose {
			for i, j := 0, len(shape)-1; i < j; i, j = i+1, j-1 {
				shape[i], shape[j] = shape[j], shape[i]
			}
		}
		shapes = append(shapes, shape)
	}
	if n := len(e.Inputs); ops == nil && e.Style == notation.StyleEinops && n > 1 && len(e.Inputs[n-1].Axes) == 0 {
		// "i, j, -> i j": the trailing comma is punctuation, as the seed writes it.
		shapes = shapes[:len(shapes)-1]
	}
	return shapes
}
