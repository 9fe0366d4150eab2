package notation

import (
	"errors"
	"flag"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Valid inputs of every form, used by the round-trip, golden and fuzz tests.
var (
	einsumExamples = []string{
		"ij,jk->ik", "ij,jk", "ii->i", "ii", "iij->j", "jii->ij", "aB", "zZ,Zy",
		"...ij,...jk->...ik", "...a,...b", "a...a->...a", ",ab,->ab", ",,->", "", "a,->a",
		"i...i->...", "ab,ab,c->c",
		"i α β, β, β α j -> i j", "seq_pos hidden, hidden vocab -> seq_pos vocab",
		"i j, k l -> (i k) (j l)", "(i j) k, k -> i j", "i, j, -> i j", "i, i, -> ",
		"index ->", "α, -> α", ", α β, -> α β", " one  two  ,  three four->two  four  ",
		"... one two three, three four five -> ... two five", "i ... i -> i ...",
		"a b, b c -> (a ...) c", "first_tensor second_tensor -> first_tensor",
		"i j, i r, j k l, r k s, l m n, s m t, n o p, t o u, p q, u q -> ",
	}
	patternExamples = []string{
		"b (h w) c -> b h w c", "i j k l -> (i l) (k j)", "i (j k) -> i j k", "...->...",
		"a b c d e ...-> ... a b c d e", "a ... c d e -> a (...) c d e", "... ->  (...)",
		"anchor dim -> dim () anchor () ()", "b c () () -> c b", "1 b c d -> (d copy 1) 3 b c ",
		"() ... d -> 1 (copy1 d copy2) ... ", "a aa aa1 a1a1 aaaa a11 -> a aa aa1 a1a1 aaaa a11",
		"(a1 a2) ... (e1 e2) -> ", "h w -> h w c",
	}
	callExamples = []string{
		"einsum(A, B, 'i j, j k -> i k')", "M = einsum(A,v,B,'i α β, β, β α j -> i j')",
		"einsum(a, b, 'i, j, -> i j')", "einsum(a, b, 'i, i, -> ')",
		"torch.einsum('ij,jk->ik', a, b)", `np.einsum("ij,jk", A, B, optimize=True)`,
		"np.einsum('i j, j k -> i k', A, B)", "einops.einsum(A, v, B, 'i α β, β, β α j -> i j')",
		"einsum(U, λ, t.conj(V), ' i j, j, k j -> i k' )",
		"einsum(t.eye(5), t.eye(3), 'i j, k l -> (i k) (j l)')",
		"opt_einsum.contract('ab,bc->ac', X.T, Y.conj())",
		"rearrange(A, 'i j -> j i')", "rearrange(T, 'i j k l -> (i l) (k j)')",
		"rearrange(M, 'i (j k) -> i j k', j=int(np.sqrt(M.shape[-1])))",
		"reduce(x, 'b c -> c', 'mean')", "einops.reduce(x, 'b c h w -> b c', reduction='max')",
		"repeat(x, 'h w -> h w c', c=3)", "y = repeat(x, 'a b -> (a 2) b')",
	}
	programExamples = []string{
		"M[i j] = A[i α β] v[β] B[β α j]",
		"dim i=2 j=3 hidden=768\nA[i j] B[j i] == B[j i] A[i j]\n",
		"U: isometry(i j -> k); Q: unitary; B[l s r]: isometry(s r -> l); S: symmetric",
		"h[b] = gelu(W1[b a] x[a])",
		"A[q k] = softmax_k(Q[q d] K[k d])",
		"A[h q k] = softmax_k(Q[h q d] K[h k d])[h q k]",
		"y[i] = x[i] + 0.5 W[i j] x[j] - b[i]",
		"s[h] = sum_k(A[h k] B[h k])",
		"Σ_h Q[h q d] K[h k d]",
		"sum_h Q[h q d] K[h k d]",
		"K[(i k) (j l)] = I5[i j] I3[k l]",
		"R[(i l) (k j)] = T[i j k l]",
		"V†[k j] V[j i] == I[k i]\nV[i j] V^H[j k] != I[i k]\nV[i j] Vᵀ[j k] ≠ δ[i k]",
		"conj(V)[k j] X⁻¹[i j] X^-1[a b] W^T[c d] conj(Vᵀ)[e f]",
		"A[k q] = δ[k q+1]; B[k q] = delta[k q-2]",
		"@A(0, 1) @B(-1.5, 2e3)\n@left(i j) @top(k)\nM[i j k] = A[i l] B[l j k]  @B(1, 0)  # pinned\n",
		"# a comment\n\ndim i=2\n\n\nx[i]  # trailing\n",
		"y = pow(x[i] x[i], 2) + log(exp(z)) - 3",
		"y[o] = σ(W3[o c] σ(W2[c b] σ(W1[b a] x[a])))",
		"t = A[i i]; s = a b; z = 2; w = -x",
		"y[i] = (A[i j] + B[i j]) (x[j] - z[j])",
		"f(a[i], b[j])[i j] + g_new(c[i j])",
		"r = A[i,j] B[j , k] C[k i]",
		"y[i] = A[i j] x[j] +\n  B[i j] z[j]",
		"y[i] = gelu(\n  W[i j]\n  x[j])",
		"dim[] x[i] sum_x[] y",
		"D: diag; E: copy; F: orthogonal; G: identity; H: general",
	}
)

// zeroPos clears every position field (Pos, End and any field ending in Pos)
// so that trees parsed from different texts can be compared.
func zeroPos(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			zeroPos(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			zeroPos(v.Index(i))
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			f, fv := t.Field(i), v.Field(i)
			if !f.IsExported() {
				continue
			}
			if fv.Kind() == reflect.Int && (f.Name == "Pos" || f.Name == "End" || strings.HasSuffix(f.Name, "Pos")) {
				fv.SetInt(0)
				continue
			}
			zeroPos(fv)
		}
	}
}

// sameTree reports whether two trees are equal apart from positions.
func sameTree(a, b Node) bool {
	zeroPos(reflect.ValueOf(a))
	zeroPos(reflect.ValueOf(b))
	return reflect.DeepEqual(a, b)
}

// checkErrorPos fails the test unless err is a syntax error (or a list of
// them) with every position inside src.
func checkErrorPos(t *testing.T, src string, err error) {
	t.Helper()
	var list ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			checkErrorPos(t, src, e)
		}
		return
	}
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("%q: error %v (%T) is not a *SyntaxError", src, err, err)
	}
	if se.Pos < 0 || se.Pos > len(src) {
		t.Fatalf("%q: error position %d outside the input (length %d): %v", src, se.Pos, len(src), err)
	}
	if line, col := LineCol(src, se.Pos); line != se.Line || col != se.Col {
		t.Fatalf("%q: error at line %d col %d, but offset %d is line %d col %d", src, se.Line, se.Col, se.Pos, line, col)
	}
}

// docBlocks returns the fenced code blocks of docs/notation.md with the given
// info string.
func docBlocks(t testing.TB, lang string) []string {
	t.Helper()
	b, err := os.ReadFile("../docs/notation.md")
	if err != nil {
		t.Fatalf("reading the notation docs: %v", err)
	}
	re := regexp.MustCompile("(?ms)^```" + lang + "\n(.*?)^```")
	var blocks []string
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		blocks = append(blocks, m[1])
	}
	if len(blocks) == 0 {
		t.Fatalf("no %s blocks in docs/notation.md", lang)
	}
	return blocks
}

// docLines returns the lines of the doc blocks with the given info string.
func docLines(t testing.TB, lang string) []string {
	var lines []string
	for _, b := range docBlocks(t, lang) {
		lines = append(lines, strings.Split(strings.TrimRight(b, "\n"), "\n")...)
	}
	return lines
}
