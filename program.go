package strand

import (
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

// Program is a parsed text in strand's index notation: statements that
// define tensors, expressions and equations to check.
type Program struct {
	Text string
	AST  *notation.Program
}

// Parse parses an index-notation program (a .tn file's text). Syntax errors
// are *notation.SyntaxError or notation.ErrorList values carrying the byte
// offset of each fault.
func Parse(text string) (*Program, error) {
	ast, err := notation.ParseProgram(text)
	if err != nil {
		return nil, err
	}
	return &Program{Text: text, AST: ast}, nil
}

// Inputs binds tensors to the names a program reads.
type Inputs map[string]*Tensor[float64]

// Resolve fixes every size of the program from its dim lines and the shapes
// of the inputs, giving the networks of its statements.
func (p *Program) Resolve(inputs Inputs) (*network.Program, error) {
	shapes := map[string][]int{}
	for name, t := range inputs {
		shapes[name] = t.Shape()
	}
	return network.FromProgram(p.AST, network.ProgramOptions{Shapes: shapes})
}

// Eval evaluates every statement on the named inputs; tensors the program
// reads but inputs lacks get seeded random values of their kind when
// opts.Random is set. Equations are checked numerically.
func (p *Program) Eval(inputs Inputs, opts Options) ([]Result[float64], error) {
	net, err := p.Resolve(inputs)
	if err != nil {
		return nil, err
	}
	ops := make([]*Tensor[float64], len(net.Inputs))
	for k, in := range net.Inputs {
		ops[k] = inputs[in.Name]
	}
	return runResolved(net, ops, opts)
}
