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
// reproduces opt_einsum's paths. [Optimize] runs a named method from a registry
// ([Methods]):
//
//   - "greedy": [Greedy], followed by the simplification pass below;
//   - "optimal": exact dynamic programming over all subsets of terms, outer products
//     included (optimal among all pairwise contraction trees);
//   - "dp": dynamic programming over connected subsets with an increasing cost cap
//     (Pfeifer, Haegeman and Verstraete, "Faster identification of optimal
//     contraction sequences for tensor networks", Phys. Rev. E 90, 033315, 2014);
//   - "branch": depth-first search ordered by the greedy heuristic with bounded
//     branching and pruning by the best cost found (opt_einsum's BranchBound);
//   - "random-greedy": greedy with Boltzmann-sampled choices and randomised
//     heuristic weights, many trials in parallel, the deterministic greedy among
//     them (after cotengra's RandomGreedyOptimizer, J. Gray and S. Kourtis,
//     "Hyper-optimized tensor network contraction", Quantum 5, 410, 2021);
//   - "auto" (fast, chosen by size) and "auto-hq" (random-greedy followed by subtree
//     reconfiguration, which re-solves subtrees of up to ~10 leaves exactly, as
//     cotengra's subtree_reconfigure does).
//
// Every method's result passes through a simplification pass that folds
// single-term sums where they save work: before a leaf is first contracted, the
// labels only it carries are summed on their own when that is cheaper. Exact
// methods weigh that choice inside their search.
//
// # Slicing
//
// With Options.MemoryLimit, [Optimize] picks labels to slice (fix to each of their
// values in turn, summing the results) so that every intermediate of the per-slice
// path fits; [Info] reports the sliced labels, the number of slices and the
// overhead (total sliced FLOPs over unsliced FLOPs).
package path
