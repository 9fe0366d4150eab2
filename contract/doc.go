// Package contract evaluates tensor contractions (einsum) on dense tensors.
//
// # Overview
//
// A contraction is described by a [Spec]: the labels of every operand's axes
// and the labels of the result. Its value is
//
//	out[o…] = Σ_{labels not in o} Π_k operand_k[labels of k]
//
// [Eval] computes it pairwise along a contraction path (opt_einsum's linear
// format): single-operand work first (broadcast size-1 axes dropped, repeated
// labels turned into diagonal views, labels found nowhere else summed away),
// then each pair by transpose–transpose–GEMM–transpose (TTGT): the operands are
// viewed as batched matrices A[b][m][k], B[b][k][n] (copied only when their
// strides do not allow it) and multiplied. Labels shared by three or more
// operands (hyperedges) stay as batch legs until their last use, so copy
// tensors are never materialised.
//
// [Naive] is the reference evaluator: a direct loop over every assignment of
// every label, used as the oracle in tests.
package contract
