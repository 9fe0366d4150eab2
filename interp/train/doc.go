// Package train trains an attention-only transformer with strand's own
// gradients until induction heads form, and shows from the path expansion,
// the composition scores and ablations how they work — item 6 of the
// interpretability issue, behind `strand interp train-induction`.
//
// # The model is a program
//
// [Program] writes the model in strand's index notation — the same network
// the diagrams draw — ending in its loss, the mean next-token cross-entropy
// of the predictable tokens (a logsoftmax bubble):
//
//	x0[b q m] = X[b q v] W_E[v m] + δ[b] W_pos[q m]
//	A0[b h q k] = softmax_k(s x0[b q m] W_Q0[m h d] x0[b k n] W_K0[n h d] + δ[b] δ[h] M[q k])
//	x1[b q m] = x0[b q m] + A0[b h q k] x0[b k n] W_V0[n h d] W_O0[h d m]
//	…
//	L = -Y[b q v] logsoftmax_v(x2[b q m] W_U[m v])[b q v]
//
// [Model] compiles it once with grad.Compile (reverse mode along each
// contraction tree, bubbles through their vector–Jacobian products) and
// binds the weights of an interp.Params, so the trained model is an
// interp.Params that interp's analysis — Induction, CompositionScores,
// Expand, QKTerms — reads directly.
//
// # Training
//
// [Train] draws batches of repeated random sequences ([NewBatch]: a start
// token, distinct random fillers, a block of N distinct random tokens twice,
// N varying so that no fixed offset predicts the repeat), and steps [Adam]
// (Kingma & Ba 2015) with a warm-up and cosine [Schedule] from seeded
// weights ([Init]). The run is a deterministic function of its options: the
// same seed gives the same loss curve, bit for bit, on a given machine. The
// loss stays at the unigram plateau log(vocabulary − 1) until the
// previous-token and induction heads form together, then falls to nearly
// zero — the phase change of Olsson et al. (2022), "In-context Learning and
// Induction Heads".
//
// # Analysis and report
//
// [Analyze] finds the induction head and the previous-token head it reads,
// measures their K-composition against a random baseline, splits the
// induction head's scores on the induction stripe into query·key terms
// (K-composition terms against direct and Q-composition ones), splits the
// logits into path terms (single heads against virtual heads), and
// zero-ablates every head. [Report] writes all of it, with pictures, to a
// directory.
package train
