// Package kernel holds strand's numeric inner loops: a packed, cache-blocked
// matrix multiply (GEMM) in Go assembly with a pure-Go fallback, and the
// strided copy and reduction loops a tensor contraction needs around it.
// Its API is slice-based (slices, offsets, strides) and it imports nothing
// of strand's.
//
// # GEMM
//
// [Gemm], [GemmBatched], [Dgemm] and [Sgemm] compute
//
//	C = α·op(A)·op(B) + β·C,   C_ij = α·Σ_p A_ip·B_pj + β·C_ij,
//
// in float32 and float64, for operands given as strided views ([Matrix]):
// row-major or column-major with any leading dimension, transposed, or a
// permuted tensor view with no unit stride at all, which is packed directly
// with no transposing copy first. When the rows (or columns) of A or B
// flatten several tensor axes that no single stride walks, per-row (per-
// column) offsets replace the stride and packing gathers through them
// (D. A. Matthews, "High-performance tensor contraction without
// transposition", SIAM J. Sci. Comput. 40(1), 2018): a tensor contraction
// never needs a transposing copy. The algorithm is Goto's (K. Goto and
// R. A. van de Geijn, "Anatomy of high-performance matrix multiplication",
// ACM TOMS 34(3), 2008) as arranged in BLIS (F. G. Van Zee and R. A. van de
// Geijn, ACM TOMS 41(3), 2015):
//
//	for pc in steps of kc:                         k dimension
//	  for ic in steps of mc:                       rows (pack A only if no unit stride)
//	    for jc in steps of nc:                     columns
//	      pack B[pc:pc+kc, jc:jc+nc] into NR-wide panels   (stays in L2)
//	      for ir in steps of MR:                   an MR×kc sliver of A (stays in L1)
//	        for jr in steps of NR:
//	          micro-kernel: C[ir:ir+MR, jr:jr+NR] += A sliver · B panel
//
// The micro-kernel keeps an MR×NR tile of C in vector registers and
// performs MR·NR fused multiply-adds per step of k, broadcasting one
// element of A against a row of B. Three kernels exist per element type,
// chosen at run time with golang.org/x/sys/cpu:
//
//	AVX-512F  float64 8×24, float32 8×48  (24 of 32 zmm accumulate; masked edges)
//	          float64 8×16 and 8×8, float32 8×32 and 8×16 for small products
//	AVX2+FMA  float64 6×8,  float32 6×16  (12 of 16 ymm accumulate)
//	pure Go   4×4                          (every other platform, and -tags purego)
//
// Full panels of a B with contiguous rows are copied 192 bytes a row by
// assembly; those of a B with contiguous columns (A·Bᵀ, the layout of
// linear layers and attention scores) are transposed through registers in
// 8×8 blocks (AVX), about 4× faster than element by element.
//
// The block sizes (kc = 256 for float64, 512 for float32; nc = 384) keep an
// A sliver in a 32–48 KiB L1d and a B block in a 1–2 MiB L2 per core, which
// fits AMD Zen 4 and Intel Sapphire/Emerald Rapids alike; an A that has to
// be packed goes in mc = 768-row blocks (1.5 MiB) that sit in L3.
//
// Products of m·n·k ≤ 64³ skip packing and goroutines: the micro-kernel
// reads A with its own strides and B in place when its columns are
// contiguous, the AVX-512 tile narrows to 16 or 8 float64 columns (32 or
// 16 float32) when that pads n less, and a call allocates nothing. Larger products are split
// over up to [Options.Threads] goroutines (default [Threads]) by rows or by
// columns, whichever gives the busiest goroutine the least work. The
// goroutines take groups of rows in turn when B fits one block (k ≤ kc and
// at most kc·nc elements; each packs it once), and groups of columns when A is read in place,
// which balances processors that run at different speeds. Batches are
// split by whole products when there are enough of them. The
// goroutines come from a pool that lives as long as the program.
//
// In a build with the openblas tag (cgo and Debian's libopenblas-dev; see
// package openblas), Gemm, GemmBatched, Dgemm and Sgemm hand the products
// whose operands BLAS can read to OpenBLAS and keep the rest.
//
// # Loops
//
// [Copy] copies between n-d strided views (a permutation is just strides),
// in cache tiles when the two sides' fastest axes differ. [HadamardReduce]
// multiplies two broadcastable views elementwise and sums over the axes
// where the output's stride is 0: Hadamard products, dot products, row
// reductions and outer products are all special cases. [Sum], [Outer],
// [Dot] and [Axpy] are its common forms. These loops take float32,
// float64, complex64 and complex128.
//
// Their unit-stride inner loops (dot, sum, scale, multiply) run in AVX2
// assembly for float32 and float64 where the CPU has AVX2 and FMA, with
// non-temporal stores for outputs of 32 MiB and more, which are written
// without being read into the caches first. The two reductions, dot and
// sum, run in AVX-512 where the CPU has it: a zmm load takes a whole cache
// line, and a memory-bound dot product streams 10–12 % faster on one
// thread, level with OpenBLAS's ddot. Loops over more than 2¹⁷
// elements are split over up to [Threads] goroutines: along an axis of
// the output's own, or, for a full reduction, into chunks whose partial
// sums are added in a fixed order, so that results do not depend on the
// number of goroutines.
//
// # Activations and threads
//
// [GeluTanh32] and [ExpShift32] are float32 elementwise functions of a
// transformer's forward pass (GPT-2's tanh GELU; the exponentials of a
// softmax), eight elements at a time in AVX2 with the same operations as
// their Go loops, so their results are the same bit for bit everywhere.
// [Parallel] runs any function's parts on the pool of worker goroutines
// that the products and loops use, and [SetThreads] caps how many
// goroutines one call of this package takes.
//
// # Errors
//
// Every function validates its views (dimensions, strides and offsets
// against the slices' lengths, an output that reaches one element twice, an
// output that shares memory with an input) and returns an error starting
// with "kernel: " instead of panicking or writing out of bounds.
package kernel
