// Package path finds contraction orders for tensor networks, on index sets and
// sizes only: it never sees tensor data.
//
// # Problems and paths
//
// A [Problem] lists, for each operand k, the labels of its axes (Inputs[k]), the
// labels of the result (Output) and the dimension of every label (Sizes[label]).
// Labels are small non-negative integers; [FromLabels] builds a Problem from string
// labels. A label may appear in any number of inputs (a bond when in two, a
// hyperedge or batch leg when in more) and in the output. A label repeated inside
// one input (a diagonal or trace, as in einsum's "ii->") is not accepted: the
// evaluator takes such diagonals first and passes the reduced operand.
//
// A [Path] is in the linear format of numpy, opt_einsum and torch: each step lists
// positions in the current list of terms; those terms are removed and their
// contraction is appended at the end. A step of one position sums the axes of that
// term that no other term and not the output carries.
//
// # Cost model
//
// Costs follow opt_einsum's convention exactly. A step over k terms whose labels
// have union U costs
//
//	FLOPs = Π_{ℓ∈U} size(ℓ) · (max(1, k−1) + [some ℓ∈U is dropped])
//
// where ℓ is dropped when it is neither in the output nor in any term that remains
// after the step; the result keeps the labels of U that are not dropped. A GEMM
// C_ik = Σ_j A_ij B_jk therefore costs 2·|i|·|j|·|k|, a Hadamard or outer product
// one per result element, and a single-term sum twice the size of the term. A
// path's FLOPs are the sum over its steps; its largest intermediate is the largest
// result of any step (inputs are not counted, the output is); its write is the sum
// of the sizes of all step results. Every optimizer here minimises exactly the cost
// it reports (see [Objective]), unlike opt_einsum's "optimal", which searches with a
// different inner cost.
//
// # Optimizers
//
// [Greedy] is a faithful port of opt_einsum's greedy (ssa_greedy_optimize): it
// reproduces opt_einsum's paths exactly (tested on all benchmark networks).
// [Optimize] runs a named method from a registry ([Methods]); every method starts
// from Greedy's tree and keeps the best tree found, so no method returns a path
// costlier than Greedy's under the objective:
//
//   - "greedy": [Greedy], plus the simplification pass below;
//   - "optimal": dynamic programming over all subsets of terms, outer products
//     included, with an increasing cost cap: optimal among all pairwise
//     contraction orders (exponential; practical up to about 16–20 terms);
//   - "dp": dynamic programming over connected subsets with a cost cap (R. N. C.
//     Pfeifer, J. Haegeman and F. Verstraete, "Faster identification of optimal
//     contraction sequences for tensor networks", Phys. Rev. E 90, 033315, 2014);
//     components are solved apart and combined by outer products; outer products
//     are searched too up to 8 terms or with Options.Outer;
//   - "branch": depth-first branch and bound ordered by the greedy heuristic
//     (opt_einsum's BranchBound);
//   - "random-greedy": greedy with Boltzmann-sampled choices and randomised
//     heuristic weights, trials in parallel (J. Gray and S. Kourtis,
//     "Hyper-optimized tensor network contraction", Quantum 5, 410, 2021);
//   - "auto": fast and deterministic (its limits count work, not time):
//     "optimal" up to 12 terms; otherwise 32 random-greedy trials and a pass of
//     subtree reconfiguration, then "dp" capped by that cost if it finishes
//     within a fixed amount of work;
//   - "auto-hq": thorough, up to 30 s: "optimal" up to 16 terms; otherwise the
//     same start with a larger dp budget and, when dp does not finish, more
//     random-greedy trials and subtree reconfiguration (subtrees of 8 to 12
//     leaves re-solved exactly, as cotengra's subtree_reconfigure does).
//
// The exact methods ("optimal", "dp") minimise the reported cost exactly, so on
// every expression of opt_einsum's test suite they match or beat the best of
// opt_einsum's optimal, greedy and dp.
//
// # Simplification
//
// The pre-pass of opt_einsum and cotengra is folded into the search, so that the
// final path is still a plain linear path over the original operands:
//
//   - a label on every input cannot be summed before the last step: the greedy
//     methods keep it like an output label, and the dynamic programs ignore it
//     when deciding which terms are connected;
//   - single-term sums: before an input first meets another term, the labels only
//     it carries may be summed on their own (a leading one-position step); every
//     method makes that choice where it is cheaper, and the exact methods weigh it
//     inside their search;
//   - Hadamard pairs (inputs with equal label sets) are merged first by Greedy,
//     and found by the exact methods on their own;
//   - scalars and other disconnected parts are combined by outer products, in the
//     optimal order for up to 12 parts.
//
// # Slicing
//
// With Options.MemoryLimit, candidate paths are compared by their cost once
// sliced: labels outside the output are chosen greedily (least growth of total
// FLOPs per unit of shrinkage of the oversized intermediates) and fixed to each of
// their values in turn, so that every intermediate of the per-slice path fits;
// the slices' results add up to the full result. [Info] reports the sliced labels,
// the number of slices, the per-slice path and cost and the overhead (total sliced
// FLOPs over unsliced FLOPs). A limit below the output's size is an error naming
// the smallest feasible limit.
package path
