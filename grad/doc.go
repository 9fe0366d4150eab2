// Package grad differentiates tensor networks: environments (hole poking),
// symbolic derivatives through function bubbles, simplification and
// isomorphism of networks, equations, and reverse-mode gradients.
//
// # Environments
//
// A network is multilinear in its tensors, so its derivative with respect to
// a tensor T that occurs once is the network with a hole where T was, whose
// free legs are the hole's legs; for Z = Σ B_ji A_ij = tr(BA),
//
//	∂Z/∂A_ij = B_ji.
//
// When T occurs k times the product rule gives the sum of the k holed
// networks, and Euler's identity for homogeneous functions holds:
// ⟨∂Z/∂T, T⟩ = k·Z. A [Sweep] computes the environments of all tensors of a
// network at once, by one forward and one backward pass along a contraction
// tree (the reverse mode of automatic differentiation on the tree: A.
// Griewank and A. Walther, "Evaluating Derivatives", SIAM 2008), three
// pairwise products per node of the tree instead of one contraction per
// tensor.
//
// # Symbolic derivatives
//
// [Derive] returns ∂x/∂T as a new expression: the holed networks, and for a
// function bubble f(u) the chain rule J_f(u)·∂u/∂T in network form. An
// elementwise f′(u) multiplies ∂u/∂T elementwise, which a network writes by
// sharing legs (a copy tensor); softmax_k contributes its Jacobian
// s_k δ_kk′ − s_k s_k′; a reduction such as sum_k or max_k its gradient along
// k (ones, hardmax_k). Differentiating again gives Hessians. [Simplify]
// merges copy tensors and identities, cancels X X⁻¹ and V†V, folds scalars,
// combines terms equal up to renaming and drops those that cancel.
//
// # Isomorphism
//
// Two networks are equal up to renaming labels and reordering nodes when
// their labelled multigraphs are isomorphic. [Hash] is colour refinement
// (Weisfeiler–Leman), a fast test that can only prove networks different;
// [Canonical] is canonical labelling by individualisation and refinement
// (McKay), exact. [Isomorphic] uses both; [Equal] compares expressions by
// simplifying their difference; [Check] proves a program's equations
// symbolically where it can and compares them numerically always.
//
// # Reverse mode
//
// [Compile] prepares a program's value and its gradient with respect to
// chosen tensors for repeated evaluation ([Gradient.ValueAndGrad],
// [Gradient.VJP]): each network is contracted along its tree, and bubbles
// pass gradients back through the vector–Jacobian products of
// contract.FuncVJP. This is what a training loop calls.
//
// Derivatives are real: conjugation is taken as the identity, and functions
// act on real numbers. The rules and their sources are listed in
// docs/derivatives.md.
package grad
