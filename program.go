package strand

import (
	"fmt"
	"strings"

	"github.com/strand-tn/strand/grad"
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

// Resolve fixes every size of the program from its dim lines, opts.Axes and
// the shapes of the inputs, giving the networks of its statements.
func (p *Program) Resolve(inputs Inputs, opts Options) (*network.Program, error) {
	shapes := map[string][]int{}
	for name, t := range inputs {
		shapes[name] = t.Shape()
	}
	return network.FromProgram(p.AST, network.ProgramOptions{Shapes: shapes, Dims: opts.Axes})
}

// Eval evaluates every statement on the named inputs; tensors the program
// reads but inputs lacks get seeded random values of their kind when
// opts.Random is set. Equations are checked numerically.
func (p *Program) Eval(inputs Inputs, opts Options) ([]Result[float64], error) {
	net, err := p.Resolve(inputs, opts)
	if err != nil {
		return nil, err
	}
	ops := make([]*Tensor[float64], len(net.Inputs))
	for k, in := range net.Inputs {
		ops[k] = inputs[in.Name]
	}
	return runResolved(net, ops, opts)
}

// Derivative is the derivative ∂y/∂A of a program's value y, as a sum of
// networks; its free legs are y's followed by the hole's.
type Derivative struct {
	Name string // "dy_dA"
	Expr *network.Expr
}

// String writes the derivative in index notation: "dy_dA[…] = …".
func (d *Derivative) String() string { return grad.Format(d.Expr, d.Name) }

// Grad differentiates the program's last assignment or expression (earlier
// assignments inlined) with respect to the named tensors in turn — twice the
// same name gives a Hessian — by poking holes and, through function bubbles,
// by the chain rule. With simplify, copy tensors and identities are merged,
// inverses and isometries cancelled and equal terms combined.
func (p *Program) Grad(opts Options, simplify bool, wrt ...string) (*Derivative, error) {
	if len(wrt) == 0 {
		return nil, fmt.Errorf("strand: Grad needs the name of a tensor")
	}
	net, err := p.Resolve(nil, opts)
	if err != nil {
		return nil, err
	}
	target := -1
	for i, st := range net.Statements {
		if st.Kind != network.Equation {
			target = i
		}
	}
	if target < 0 {
		return nil, fmt.Errorf("strand: the program has no assignment or expression to differentiate")
	}
	x, err := grad.Inline(net, target, wrt...)
	if err != nil {
		return nil, err
	}
	for _, w := range wrt {
		if x, err = grad.Derive(x, w); err != nil {
			return nil, err
		}
	}
	if simplify {
		if x, err = grad.Simplify(x); err != nil {
			return nil, err
		}
	}
	name := "d" + net.Statements[target].Name + "_d" + strings.Join(wrt, "_d")
	return &Derivative{Name: name, Expr: x}, nil
}

// Verdict is the check of one equation (see grad.Verdict): pass or fail,
// whether the symbols or the numbers decided, and the largest difference.
type Verdict = grad.Verdict

// Check checks every equation of the program: symbolically where the sides
// simplify to the same terms, and always numerically, on the named inputs
// and seeded random tensors of their kinds for the rest (opts.Seed).
// Decompositions in the program are computed first.
func (p *Program) Check(inputs Inputs, opts Options) ([]Verdict, error) {
	net, err := p.Resolve(inputs, opts)
	if err != nil {
		return nil, err
	}
	ops := make([]*Tensor[float64], len(net.Inputs))
	for k, in := range net.Inputs {
		ops[k] = inputs[in.Name]
	}
	opts.Random = true
	results, err := runResolved(net, ops, opts)
	if err != nil {
		return nil, err
	}
	return grad.CheckResults(net, results), nil
}
