package strand

import "github.com/strand-tn/strand/contract"

// Recycle hands the memory of t, a result you are done with, back to the
// pools strand's later results draw from, much as numpy frees an array
// whose last reference goes. An Einsum in a loop that recycles each result
// allocates nothing for it after the first pass; without Recycle each
// result is fresh memory, its pages faulted in, until a garbage collection
// reclaims the old ones. Only memory strand allocated for its results (of
// 4096 elements and more) is taken; an operand, or any tensor strand did
// not make, is left alone. After Recycle, t and every tensor that shares
// its memory (a view of it, or the tensor it views) must not be used:
// later results overwrite it.
func Recycle[T Elem](t *Tensor[T]) { contract.Recycle(t) }
