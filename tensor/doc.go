// Package tensor provides dense n-dimensional arrays.
//
// # Overview
//
// A [Dense] holds a flat backing slice together with a shape, per-axis strides
// (counted in elements) and an offset, so that element (i₀, i₁, …, iₙ₋₁) lives at
//
//	data[offset + Σₖ iₖ·strides[k]]
//
// Permuting axes, taking a diagonal, slicing, indexing one axis and broadcasting
// only change shape, strides and offset: they return views that share data with
// the original. [Dense.Reshape] is a view when the tensor is contiguous in row-major
// order and a copy otherwise. Elementwise operations allocate fresh, contiguous
// results.
//
// The element type is a type parameter ([Elem]): float64 is the everyday type;
// float32, complex64 and complex128 use the same code.
//
// Misuse that only a programmer can cause (an axis out of range, a permutation
// that is not one, shapes that differ in an elementwise operation) panics with a
// message starting "tensor:", as slice indexing does. Data from outside the
// program is validated by the packages that read it (notation, tensorio).
package tensor
