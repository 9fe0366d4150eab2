// Package strand turns tensor-network notation into numbers (and, as the
// library grows, into diagrams): one text, written the way the literature
// and Python write it, gives a network that strand evaluates.
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
// float32, float64, complex64 and complex128.
package strand
