package notation

import (
	"errors"
	"strings"
	"testing"
)

func operandNames(c *Call) string {
	var names []string
	for _, o := range c.Operands {
		n := o.Name
		if o.Conj {
			n += "*"
		}
		if o.Transpose {
			n += "ᵀ"
		}
		if o.Eye > 0 {
			n += "(eye)"
		}
		names = append(names, n)
	}
	return strings.Join(names, " ")
}

func TestParseCall(t *testing.T) {
	for _, tc := range []struct {
		src         string
		op          Op
		result      string
		operands    string
		eq          string // Format of the equation or pattern
		stringFirst bool
	}{
		{"einsum(A, B, 'i j, j k -> i k')", OpEinsum, "", "A B", "i j, j k -> i k", false},
		{"M = einsum(A,v,B,'i α β, β, β α j -> i j')", OpEinsum, "M", "A v B", "i α β, β, β α j -> i j", false},
		{"einsum(a, b, 'i, j, -> i j')", OpEinsum, "", "a b", "i, j -> i j", false},
		{"einsum(a, b, 'i, i, -> ')", OpEinsum, "", "a b", "i, i ->", false},
		{"torch.einsum('ij,jk->ik', a, b)", OpEinsum, "", "a b", "ij,jk->ik", true},
		{`np.einsum("ij, jk", A, B, optimize='greedy')`, OpEinsum, "", "A B", "ij,jk", true},
		{"np.einsum('i j, j k -> i k', A, B)", OpEinsum, "", "A B", "ij,jk->ik", true},
		{"einsum(U, λ, t.conj(V), ' i j, j, k j -> i k' )", OpEinsum, "", "U λ V*", "i j, j, k j -> i k", false},
		{"einsum(t.eye(5), torch.eye(3), 'i j, k l -> (i k) (j l)')", OpEinsum, "", "I5(eye) I3(eye)", "i j, k l -> (i k) (j l)", false},
		{"oe.contract('ab,bc->ac', X.T, Y.conj())", OpEinsum, "", "Xᵀ Y*", "ab,bc->ac", true},
		{"einsum(f(x, [1, 2]), g[0], 'i, j -> i j')", OpEinsum, "", "f(x, [1, 2]) g[0]", "i, j -> i j", false},
		{"rearrange(T, 'i j k l -> (i l) (k j)')", OpRearrange, "", "T", "i j k l -> (i l) (k j)", false},
		{"reduce(x, 'b c -> c', 'mean')", OpReduce, "", "x", "b c -> c", false},
		{"einops.repeat(x, 'h w -> h w c', c=3)", OpRepeat, "", "x", "h w -> h w c", false},
	} {
		c, err := ParseCall(tc.src)
		if err != nil {
			t.Errorf("ParseCall(%q): %v", tc.src, err)
			continue
		}
		var eq string
		if c.Einsum != nil {
			eq = Format(c.Einsum)
		} else {
			eq = Format(c.Pattern)
		}
		if c.Op != tc.op || c.Result != tc.result || operandNames(c) != tc.operands || eq != tc.eq || c.StringFirst != tc.stringFirst {
			t.Errorf("ParseCall(%q) = %v %q %q %q first=%v, want %v %q %q %q first=%v", tc.src,
				c.Op, c.Result, operandNames(c), eq, c.StringFirst, tc.op, tc.result, tc.operands, tc.eq, tc.stringFirst)
		}
		for _, o := range c.Operands {
			if tc.src[o.Pos:o.End] != o.Expr {
				t.Errorf("ParseCall(%q): operand %q spans %q", tc.src, o.Expr, tc.src[o.Pos:o.End])
			}
		}
	}
}

func TestParseCallKeywords(t *testing.T) {
	c, err := ParseCall("rearrange(M, 'i (j k) -> i j k', j=int(np.sqrt(M.shape[-1])), k = 4)")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Keywords) != 2 {
		t.Fatalf("keywords %+v", c.Keywords)
	}
	j, k := c.Keywords[0], c.Keywords[1]
	if j.Name != "j" || j.Value != "int(np.sqrt(M.shape[-1]))" || j.IsInt {
		t.Errorf("keyword j = %+v", j)
	}
	if k.Name != "k" || !k.IsInt || k.Int != 4 {
		t.Errorf("keyword k = %+v", k)
	}
	c, err = ParseCall("reduce(x, 'b c -> c', reduction='max')")
	if err != nil || c.Reduction != "max" {
		t.Errorf("reduction keyword: %v %+v", err, c)
	}
}

func TestParseCallErrors(t *testing.T) {
	for _, tc := range []struct {
		src string
		pos int
		msg string
	}{
		{"foo(A, 'ij->ji')", 0, "unknown function"},
		{"einsum(A, B)", 12, "no equation string"},
		{"einsum(A, 'i,j->ij', B, 'x')", 24, "a second string"},
		{"einsum(A, 'i,j->ij', B, C)", 10, "first or the last"},
		{"einsum(A, B, C, 'i j, j k -> i k')", 16, "has 2 terms but the call passes 3 operands"},
		{"einsum(A, 'i j, j k -> i k')", 10, "has 2 terms but the call passes 1 operand"},
		{"einsum(A, B, 'ij,jk->ik', out=C)", 26, "keyword out is not supported"},
		{"einsum(A, B, 'i j, j k -> i m')", 28, `output name "m"`},
		{"einsum(A, B, 'i j\\n')", 17, "escape sequences"},
		{"einsum(A, B, 'i j", 13, "unterminated string"},
		{"einsum(A, B, 'i->i'", 19, "unclosed '('"},
		{"einsum(A, B 'i->i')", 12, "expected ',' or ')' before the string"},
		{"einsum(A, B, 'i->i') x", 21, "unexpected text"},
		{"einsum(A[0)], 'i->i')", 10, "unbalanced ')'"},
		{"einsum(f(A, 'i->i')", 19, "unclosed '('"},
		{"rearrange(T)", 0, "takes a tensor and a pattern"},
		{"reduce(x, 'b c -> c')", 0, "a tensor, a pattern and a reduction"},
		{"reduce(x, 'b c -> c', max)", 22, "reduction must be a string"},
		{"rearrange(T, 'a a -> a')", 16, "duplicate axis"},
		{"rearrange('a -> a', T)", 10, "expected a tensor, found a string"},
		{"= einsum('i', A)", 0, "expected a function name"},
		{"einsum", 6, "expected '('"},
		{"einsum(t.eye(0), 'ij->ij')", 7, "positive integer"},
	} {
		_, err := ParseCall(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseCall(%q): got %v, want a syntax error", tc.src, err)
			continue
		}
		if se.Pos != tc.pos || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("ParseCall(%q): error %q at %d, want %q at %d", tc.src, se.Msg, se.Pos, tc.msg, tc.pos)
		}
		checkErrorPos(t, tc.src, err)
	}
}

func TestDetectForm(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want Form
	}{
		{"ij,jk->ik", FormEinsum}, {"i j, j k -> i k", FormEinsum}, {"ab#,bc->ac", FormEinsum},
		{"einsum(A, B, 'ij,jk->ik')", FormCall}, {"M = torch.einsum('ij', A)", FormCall},
		{"M[i j] = A[i k] B[k j]", FormProgram}, {"dim i=2", FormProgram}, {"a b\nc d", FormProgram},
		{"gelu(x[i])", FormProgram}, {"U: unitary", FormProgram},
	} {
		if got := DetectForm(tc.src); got != tc.want {
			t.Errorf("DetectForm(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
	n, err := Parse("einsum(A, B, 'ij,jk->ik')")
	if _, ok := n.(*Call); !ok || err != nil {
		t.Errorf("Parse of a call gave %T, %v", n, err)
	}
	n, err = Parse("ab#,bc->ac")
	if n != nil || err == nil {
		t.Errorf("Parse of a bad equation gave %v, %v", n, err)
	}
}
