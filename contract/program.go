package contract

import (
	"fmt"
	"math"

	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/tensor"
)

// Result is the outcome of one statement of a program. For an assignment or
// an expression, Value is its value. For an equation, Value is the right side,
// LHS the left side, MaxError = max|lhs − rhs| and Pass whether the relation
// holds numerically: lhs == rhs when MaxError ≤ Tolerance, lhs != rhs when not.
type Result[T tensor.Elem] struct {
	Statement *network.Statement
	Value     *tensor.Dense[T]
	LHS       *tensor.Dense[T]
	MaxError  float64
	Tolerance float64
	Pass      bool
}

// Decomposer computes the factors of a decomposition statement
// (U[i a] S[a] V†[a k] = svd(M[i k])) from the value of its argument, whose
// axes follow st.RHS.Output: the data of each node of st.Factors, in order.
// Package strand provides one built on package decomp.
type Decomposer[T tensor.Elem] func(st *network.Statement, arg *tensor.Dense[T]) ([]*tensor.Dense[T], error)

// RunProgram evaluates the statements of a resolved program in order. Each
// assignment binds its name for the statements after it. A program with
// decompositions needs RunProgramWith.
func RunProgram[T tensor.Elem](prog *network.Program, inputs []*tensor.Dense[T], opts Options) ([]Result[T], error) {
	return RunProgramWith(prog, inputs, opts, nil)
}

// RunProgramWith is RunProgram with the decompositions of dec. For a
// decomposition, Value is the argument, LHS the contraction of the factors
// and MaxError the reconstruction error; Pass is always true, since a
// truncated decomposition is not exact by design.
func RunProgramWith[T tensor.Elem](prog *network.Program, inputs []*tensor.Dense[T], opts Options, dec Decomposer[T]) ([]Result[T], error) {
	b := Bindings[T]{Inputs: inputs, Named: map[string]*tensor.Dense[T]{}}
	results := make([]Result[T], 0, len(prog.Statements))
	for _, st := range prog.Statements {
		r := Result[T]{Statement: st}
		var err error
		if r.Value, err = EvalExpr(st.RHS, b, opts); err != nil {
			return results, err
		}
		switch st.Kind {
		case network.Assign:
			b.Named[st.Name] = r.Value
		case network.Decompose:
			if dec == nil {
				return results, fmt.Errorf("contract: %s needs the decompositions of package decomp: run the program with package strand", st.Func)
			}
			factors, err := dec(st, r.Value)
			if err != nil {
				return results, err
			}
			for k, f := range st.Factors {
				b.Named[f.Name] = factors[k]
			}
			if r.LHS, err = EvalExpr(st.LHS, b, opts); err != nil {
				return results, err
			}
			r.MaxError = tensor.MaxAbsDiff(r.LHS, r.Value)
			r.Tolerance = EquationTolerance[T]() * max(1, r.Value.MaxAbs())
			r.Pass = true
		case network.Equation:
			if r.LHS, err = EvalExpr(st.LHS, b, opts); err != nil {
				return results, err
			}
			r.MaxError = tensor.MaxAbsDiff(r.LHS, r.Value)
			r.Tolerance = EquationTolerance[T]() * max(1, r.Value.MaxAbs(), r.LHS.MaxAbs())
			close := r.MaxError <= r.Tolerance
			r.Pass = st.Holds(close)
			if math.IsNaN(r.MaxError) {
				r.Pass = false
			}
		}
		results = append(results, r)
	}
	return results, nil
}

// EquationTolerance is the relative tolerance an equation is checked to:
// 1e-9 for 64-bit element types and 1e-4 for 32-bit ones, scaled by the
// largest magnitude of either side (and at least 1).
func EquationTolerance[T tensor.Elem]() float64 {
	var z T
	switch any(z).(type) {
	case float32, complex64:
		return 1e-4
	}
	return 1e-9
}
