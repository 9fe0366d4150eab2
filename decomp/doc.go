// Package decomp splits tensors into networks of smaller ones: SVD and QR
// splits by naming legs, CP and Tucker decompositions, and tensor trains
// (matrix product states) with canonical forms.
//
// # Splitting by naming legs
//
// [SVD] groups the legs named left into the row index and the others into
// the column index (as ITensor does) and returns the three factors of
//
//	T[left… right…] = Σ_a U[left… a] λ[a] V†[a right…]
//
// as named tensors sharing the new bond a: U is an isometry toward a, λ holds
// the singular values and V† has orthonormal rows. [contract.Contract] of the
// three gives T back (a leg on three tensors is summed once). By
// Eckart–Young–Mirsky, keeping the r largest singular values is the best rank-r
// approximation in every unitarily invariant norm, with
// ‖T − T_r‖²_F = Σ_{i>r} λᵢ²: the discarded weight. [Truncation] says how many
// to keep and every truncating call reports the discarded weight.
// [QR] and [LQ] split the same way into an isometry and a triangular factor.
//
// # CP and Tucker
//
// [CPALS] fits T ≈ Σ_r λ_r a⁽⁰⁾_r ∘ a⁽¹⁾_r ∘ ⋯ by alternating least squares
// (Kolda & Bader 2009, §3.4). [HOSVD] and [HOOI] compute Tucker
// decompositions T ≈ G ×₀ U⁽⁰⁾ ×₁ U⁽¹⁾ ⋯ with orthonormal factors (De Lathauwer,
// De Moor & Vandewalle 2000a, 2000b).
//
// # Tensor trains
//
// An [MPS] (tensor train) writes an order-d tensor as a chain
//
//	T[i₀ … i_{d−1}] = Σ A⁽⁰⁾[1 i₀ a₀] A⁽¹⁾[a₀ i₁ a₁] ⋯ A⁽ᵈ⁻¹⁾[a_{d−2} i_{d−1} 1].
//
// [TTSVD] builds one by successive SVDs (Oseledets 2011). Sites to the left
// of the orthogonality centre are left-orthonormal (isometries toward their
// right bond) and sites to its right are right-orthonormal, so the whole
// network is an SVD around the centre: truncating there is optimal, the norm
// is the centre's norm, and the gauge freedom (inserting X X⁻¹ on a bond,
// [MPS.Gauge]) is fixed. The centre is tracked and moved by QR steps.
//
// # Conventions
//
// Tensors are float64. Errors start with "decomp:". Singular vectors follow
// linalg's sign convention; CP components are ordered by decreasing weight
// with each factor column's largest entry positive except in the last
// factor, which carries the sign.
//
// References:
//   - C. Eckart, G. Young, The approximation of one matrix by another of lower
//     rank, Psychometrika 1(3), 1936.
//   - T. G. Kolda, B. W. Bader, Tensor decompositions and applications,
//     SIAM Review 51(3), 455–500, 2009.
//   - A.-H. Phan, P. Tichavský, A. Cichocki, Fast alternating LS algorithms
//     for high order CANDECOMP/PARAFAC tensor factorizations, IEEE Trans.
//     Signal Process. 61(19), 2013.
//   - L. De Lathauwer, B. De Moor, J. Vandewalle, A multilinear singular value
//     decomposition, SIAM J. Matrix Anal. Appl. 21(4), 2000; On the best
//     rank-1 and rank-(R1,…,RN) approximation of higher-order tensors, ibid.
//   - I. V. Oseledets, Tensor-train decomposition, SIAM J. Sci. Comput. 33(5),
//     2295–2317, 2011.
//   - U. Schollwöck, The density-matrix renormalization group in the age of
//     matrix product states, Annals of Physics 326(1), 2011.
package decomp
