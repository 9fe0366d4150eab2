// Package network is strand's one shared model of a tensor network, built
// from the syntax trees of package notation.
//
// A [Network] is a product of tensors: [Node]s of a [Kind] (general,
// isometry, unitary, symmetric, diagonal, identity, delta, function bubble)
// whose [Leg]s carry labels. A label on two legs is a bond (a wire, summed);
// on three or more legs, or on two and the output, a hyperedge (a copy dot);
// on one leg and the output, a free leg; on one leg alone, a leg summed away.
// For tensors A, v, B the network of "i α β, β, β α j -> i j" is
//
//	M_ij = Σ_αβ A_iαβ v_β B_βαj
//
// with α a bond and β a hyperedge. A grouped leg (i l) is one axis that is
// the row-major flattening of several labels. An [Expr] is a sum of networks
// with coefficients; a function bubble's node holds its arguments as Exprs.
//
// Entry points:
//
//   - [FromEinsum] and [FromCall]: an einsum equation and operand shapes, with
//     numpy's rules for "...", size-1 broadcasting and implicit output;
//   - [FromProgram]: an index-notation program with sizes from dim lines and
//     bound tensors, giving assignments, expressions and equations;
//   - [PlanPattern] and [PlanCall]: an einops rearrange/reduce/repeat pattern
//     and an input shape, giving a [Plan] of reshape, reduce, permute and
//     broadcast steps;
//   - [Network.Einsum]: the lowering an evaluator executes, one [Operand] per
//     tensor with elementary labels and actual dims.
//
// Errors are *[Error] or, for sizes that disagree, *[DimError], naming the
// tensor, the leg and both sizes, with the byte offset in the source text.
package network
