// Package linalg factorizes tensors viewed as matrices: thin SVD, a
// randomized truncated SVD, QR and LQ, the polar decomposition and the
// symmetric eigendecomposition.
//
// # Matrices
//
// Every routine takes a rank-2 [tensor.Dense] of float64 (any strides) and
// returns fresh, contiguous row-major results. A tensor with more axes becomes
// a matrix with [Matricize], which groups chosen axes into the row index and
// the others into the column index:
//
//	M[(r₀ r₁ …), (c₀ c₁ …)] = T[…]
//
// Package decomp builds the named-leg (ITensor-style) splits on top of this.
//
// # Algorithms
//
// [SVD] reduces A to bidiagonal form B = Qᵀ A P (Golub & Kahan 1965, blocked
// Householder reflectors from gonum's LAPACK), preceded by a QR (or LQ)
// factorization when A is far from square, and computes the SVD of B by the
// divide-and-conquer method of Gu & Eisenstat (1995): B is split at a middle
// row into two halves solved recursively; merging them is a rank-one update
// whose singular values are the roots of the secular equation
//
//	1 + Σⱼ zⱼ² / (dⱼ² − σ²) = 0,
//
// solved to high relative accuracy with the "middle way" iteration (Li 1994),
// and whose singular vectors are made orthogonal to working precision by
// recomputing z from the roots (Löwner's formula). The merged vectors are
// formed by matrix products, which is what makes it fast; leaves of at most
// 24 rows use the QR iteration of gonum's Dgesvd. The method is backward
// stable like LAPACK's dgesdd: the computed factors satisfy
// ‖A − U Σ Vᵀ‖ ≈ ε‖A‖ with U, V orthonormal to ≈ ε, whatever the condition
// number. Singular values carry absolute error ≈ ε‖A‖₂, so values far below
// that are noise.
//
// [RandomizedSVD] is the randomized range finder with subspace (power)
// iteration followed by a small exact SVD (Halko, Martinsson & Tropp, SIAM
// Review 53(2), 2011, algorithms 4.4 and 5.1).
//
// # Conventions
//
// Singular values are non-negative and decreasing. Each singular pair's sign
// is fixed so that the component of largest magnitude of the left singular
// vector is positive (the first such component on ties), making results
// deterministic; QR and LQ have a non-negative diagonal in R and L;
// eigenvectors follow the singular-vector rule. Complex matrices are not
// supported yet; when they are, the same rule will fix the phase (the
// largest component real and positive).
//
// Errors start with "linalg:"; a non-finite entry is reported with its
// position. All matrix products go through gonum's BLAS (blas64), so a
// faster implementation installed with blas64.Use speeds everything up.
//
// References:
//   - G. Golub, W. Kahan, Calculating the singular values and pseudo-inverse
//     of a matrix, SIAM J. Numer. Anal. B 2(2), 1965.
//   - M. Gu, S. C. Eisenstat, A divide-and-conquer algorithm for the
//     bidiagonal SVD, SIAM J. Matrix Anal. Appl. 16(1), 79–92, 1995.
//   - R.-C. Li, Solving secular equations stably and efficiently,
//     LAPACK Working Note 89, 1994.
//   - N. Halko, P.-G. Martinsson, J. A. Tropp, Finding structure with
//     randomness, SIAM Review 53(2), 217–288, 2011.
//   - N. J. Higham, Computing the polar decomposition — with applications,
//     SIAM J. Sci. Stat. Comput. 7(4), 1986.
package linalg
