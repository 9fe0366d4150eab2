// Package codegen writes a contraction planned by strand as a self-contained
// Python script, so that a network ordered (and sliced) here runs under NumPy,
// PyTorch, JAX or opt_einsum, on GPUs or a cluster.
//
// A network is first read as one einsum over its data tensors ([Lower]): copy
// tensors and identities merge the labels they join, grouped legs are split.
// Its index sets go to package path ([Contraction.Problem]); the path and its
// slicing ([path.Info]) come back to [Generate], which writes:
//
//   - prepare: each input's conjugate or inverse, grouped axes split by a
//     reshape, broadcast axes (size 1 against a larger label) dropped and
//     diagonals (a label repeated in one tensor) taken;
//   - run_path: the path step by step, one einsum call per step with the step's
//     own labels renamed a, b, c, … (so that networks with more than the 52
//     letters einsum accepts still run: only one step's labels must fit); for
//     opt_einsum, one contract(eq, …, optimize=path) call with opt_einsum's
//     symbols;
//   - contract: with sliced labels, the sum over every combination of their
//     values of run_path on the operands indexed there — a Python loop for
//     NumPy, PyTorch and opt_einsum, a compiled lax.fori_loop for JAX — then
//     the output's grouped axes and any constant factor;
//   - main: reads the inputs from .npy files named on the command line, checks
//     their shapes and writes the result to a .npy file.
//
// The costs in the script's header follow opt_einsum's convention (see package
// path): FLOPs = Π sizes of a step's labels × (max(1, terms−1) + [a label is
// summed]).
package codegen

import (
	"fmt"
	"io"
	"strings"

	"github.com/strand-tn/strand/path"
)

// Lang is a target library.
type Lang string

// The languages Generate writes.
const (
	NumPy     Lang = "numpy"
	Torch     Lang = "torch"
	JAX       Lang = "jax"
	OptEinsum Lang = "opt_einsum"
)

// Langs lists the languages Generate writes.
func Langs() []Lang { return []Lang{NumPy, Torch, JAX, OptEinsum} }

// ParseLang reads a language name ("" is NumPy; case does not matter).
func ParseLang(s string) (Lang, error) {
	if s == "" {
		return NumPy, nil
	}
	for _, l := range Langs() {
		if strings.EqualFold(s, string(l)) {
			return l, nil
		}
	}
	names := make([]string, len(Langs()))
	for i, l := range Langs() {
		names[i] = string(l)
	}
	return "", fmt.Errorf("codegen: unknown language %q (want %s)", s, strings.Join(names, ", "))
}

// Options configure Generate. The zero value writes NumPy.
type Options struct {
	Lang Lang
	// Source is the notation the contraction was read from, quoted in the
	// script's header.
	Source string
}

// Generate writes a Python script that evaluates c along info's path, slice by
// slice when info has sliced labels. info must describe a path for
// c.Problem(), as path.Optimize or path.Analyze return it. It fails when c
// reads data that is not an input (a function bubble, a shifted copy tensor, a
// tensor defined by another statement), when its output is not a plain einsum
// output (see [Contraction.Plain]), or when one step involves more labels than
// einsum's 52 letters.
func Generate(w io.Writer, c *Contraction, info *path.Info, opts Options) error {
	lang, err := ParseLang(string(opts.Lang))
	if err != nil {
		return err
	}
	s, err := build(c, info)
	if err != nil {
		return err
	}
	var b strings.Builder
	s.write(&b, dialects[lang], opts.Source)
	_, err = io.WriteString(w, b.String())
	return err
}
