// Package strand turns tensor-network notation into Penrose diagrams and
// numbers: one text, written the way papers and Python write networks, gives
// the diagram, the value, the contraction order, the derivatives and the
// decompositions.
//
// # Overview
//
// Contractions are written in any of strand's notations — numpy einsum
// ("ij,jk->ik"), einops with multi-character and Greek names
// ("i α β, β, β α j -> i j"), a pasted Python call
// ("einsum(A, v, B, 'i α β, β, β α j -> i j')") or strand's index notation
// ("M[i j] = A[i α β] v[β] B[β α j]"):
//
//	M, err := strand.Einsum("i α β, β, β α j -> i j", A, v, B)
//
// Repeated names are summed; a name on three or more tensors is a hyperedge
// (a copy tensor), which is never built. Reshaping follows einops:
//
//	R, err := strand.Rearrange(T, "i j k l -> (i l) (k j)")
//
// Tensors are [Tensor] values (package tensor): dense, strided, generic over
// float32, float64, complex64 and complex128. [Compile] plans a contraction
// once for repeated use.
//
// # Named legs
//
// [Legs] names a tensor's axes, [Contract] joins equal names (as a diagram
// joins legs), and [SVD] splits a tensor by naming the legs of its left
// factor, returning the new bond by name:
//
//	x := strand.MustLegs(T, "i", "j", "k")
//	s, err := strand.SVD(x, strand.Left("i", "k"), strand.Truncation{MaxRank: 4})
//	back, err := strand.Contract(s.U, s.S, s.Vh)
//
// # Programs
//
// A .tn file is a [Program]: dim lines, tensor kinds (isometries, unitaries,
// copy tensors), assignments, function bubbles, sums, decompositions such as
// U[i a] λ[a] V†[a k] = svd(M[i k]), and equations lhs == rhs.
// [Program.Eval] evaluates it on named or seeded random tensors,
// [Program.Check] checks its equations symbolically where it can and
// numerically always, [Program.Grad] differentiates it, and [Program.Draw]
// (or [Draw] for any notation) writes its diagram as SVG, TikZ, PNG or JSON.
//
// The notation is documented in docs/notation.md; the command-line program
// (cmd/strand) and the studio (strand serve) are built on this package.
package strand
