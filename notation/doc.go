// Package notation reads the text forms of graphical tensor notation into
// syntax trees, with the byte offset of every part, and writes them back.
//
// The forms, each with its entry point:
//
//   - einsum equations ([ParseEinsum]), numpy-style "ij,jk->ik" or einops-style
//     "i α β, β, β α j -> i j", told apart by [DetectStyle];
//   - einops patterns ([ParsePattern]) for rearrange, reduce and repeat:
//     "b (h w) c -> b h w c";
//   - Python calls pasted whole ([ParseCall]): "einsum(A, B, 'i j, j k -> i k')",
//     "torch.einsum('ij,jk->ik', a, b)", "rearrange(T, 'i j k l -> (i l) (k j)')";
//   - strand's index notation ([ParseProgram]), statements such as
//     "M[i j] = A[i α β] v[β] B[β α j]", with dim lines, kinds, function
//     bubbles, sums, equations and layout hints.
//
// [Parse] picks the form by the look of the text ([DetectForm]). [Format]
// writes any tree back as canonical text that parses to the same tree.
// The grammar, with every formula of the seed post written in it, is in
// docs/notation.md.
//
// Parsing never computes: sizes, free legs and the checks that need them
// belong to package network, which turns these trees into tensor networks.
//
// Errors are *[SyntaxError] values, "notation: MSG at column C" (or "at
// line L, column C" in multi-line text), whose Pos is a byte offset into the
// text; [ParseProgram] may return several as an [ErrorList]. [Caret] renders
// the line with a '^' under the offset, for command-line messages.
package notation
