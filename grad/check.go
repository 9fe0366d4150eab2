package grad

import (
	"fmt"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/tensor"
)

// Method says how an equation was decided.
type Method string

const (
	Symbolic Method = "symbolic" // both sides simplify to the same terms
	Numeric  Method = "numeric"  // the sides were compared on tensors
)

// Verdict is the check of one equation of a program. The sides are always
// compared numerically (MaxError = max|lhs − rhs| against Tolerance, see
// contract.RunProgram). They are also compared symbolically: when their
// difference simplifies to nothing, Method is Symbolic and the equation
// holds whatever the tensors; otherwise Method is Numeric and the numbers
// decide. Note says why the symbolic check could not be made, if it could
// not. A relation that the symbols prove but the numbers deny fails.
type Verdict struct {
	Statement *network.Statement
	Method    Method
	Pass      bool
	MaxError  float64
	Tolerance float64
	Note      string
}

// Check checks every equation of a resolved program on the given inputs
// (bound in the order of prog.Inputs; draw them with strand.RandomInputs to
// honour the tensors' kinds), symbolically where it can and numerically
// always. It returns one verdict per equation, in order.
func Check[T Float](prog *network.Program, inputs []*tensor.Dense[T], opts Options) ([]Verdict, error) {
	results, err := contract.RunProgram(prog, inputs, contract.Options{MemoryLimit: opts.MemoryLimit})
	if err != nil {
		return nil, err
	}
	return CheckResults(prog, results), nil
}

// CheckResults is Check on a program already evaluated (results[i] is the
// numeric result of statement i, as contract.RunProgram or strand.Run give
// them, which also evaluates decompositions).
func CheckResults[T Float](prog *network.Program, results []contract.Result[T]) []Verdict {
	var out []Verdict
	for i, r := range results {
		st := prog.Statements[i]
		if st.Kind != network.Equation {
			continue
		}
		v := Verdict{Statement: st, Method: Numeric, Pass: r.Pass, MaxError: r.MaxError, Tolerance: r.Tolerance}
		equal, err := symbolicallyEqual(prog, i)
		switch {
		case err != nil:
			v.Note = err.Error()
		case equal:
			v.Method = Symbolic
			holds := st.Holds(true)
			if holds != r.Pass {
				v.Pass = false
				v.Note = fmt.Sprintf("the sides are equal symbolically but differ numerically by %.3g", r.MaxError)
			} else {
				v.Pass = holds
			}
		}
		out = append(out, v)
	}
	return out
}

// symbolicallyEqual reports whether the sides of equation i simplify to the
// same terms once the tensors earlier statements define are inlined.
func symbolicallyEqual(prog *network.Program, i int) (bool, error) {
	lhs, rhs, err := inlineStatement(prog, i, nil)
	if err != nil {
		return false, err
	}
	return Equal(lhs, rhs)
}
