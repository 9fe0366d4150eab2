package notation

import (
	"errors"
	"strings"
	"testing"
)

func TestParseProgramStatements(t *testing.T) {
	src := `# the seed's contraction
dim i=2 j=5 α=3 β=4
U: isometry(i j -> k)
M[i j] = A[i α β] v[β] B[β α j]  @A(0, 1)  # drawn
A[i j] B[j i] == B[j i] A[i j]; V[i j] V†[j k] != I[i k]

@left(i)
Σ_h Q[h q d] K[h k d]
`
	p, err := ParseProgram(src)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, s := range p.Stmts {
		kinds = append(kinds, strings.TrimPrefix(strings.TrimPrefix(typeName(s), "*notation."), "notation."))
	}
	want := "CommentStmt DimStmt KindStmt AssignStmt EquationStmt EquationStmt HintStmt ExprStmt"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("statements %s, want %s", got, want)
	}
	c := p.Stmts[0].(*CommentStmt)
	if c.Text != " the seed's contraction" {
		t.Errorf("comment %q", c.Text)
	}
	d := p.Stmts[1].(*DimStmt)
	if len(d.Dims) != 4 || d.Dims[2].Name != "α" || d.Dims[2].Size != 3 {
		t.Errorf("dims %+v", d.Dims)
	}
	k := p.Stmts[2].(*KindStmt)
	if k.Tensor.Name != "U" || k.Kind.Name != "isometry" || len(k.In) != 2 || len(k.Out) != 1 || k.Out[0].Name != "k" {
		t.Errorf("kind %+v", k)
	}
	a := p.Stmts[3].(*AssignStmt)
	if a.LHS.Name != "M" || len(a.LHS.Legs) != 2 || a.Comment != " drawn" || len(a.Hints) != 1 {
		t.Errorf("assignment %+v", a)
	}
	if h := a.Hints[0]; h.Kind != HintPin || h.Target != "A" || h.X != 0 || h.Y != 1 {
		t.Errorf("pin %+v", h)
	}
	prod, ok := a.RHS.(*Product)
	if !ok || len(prod.Factors) != 3 {
		t.Fatalf("right side %#v", a.RHS)
	}
	if b := prod.Factors[2].(*Tensor); b.Name != "B" || src[b.Pos:b.End] != "B[β α j]" {
		t.Errorf("tensor B spans %q", src[b.Pos:b.End])
	}
	eq := p.Stmts[5].(*EquationStmt)
	if eq.Rel != RelNotEqual {
		t.Errorf("relation %v", eq.Rel)
	}
	if v := eq.LHS.(*Product).Factors[1].(*Tensor); !v.Conj || !v.Transpose || v.DisplayName() != "V†" {
		t.Errorf("V† parsed as %+v", v)
	}
	if h := p.Stmts[6].(*HintStmt); !h.Blank || h.List[0].Kind != HintSide || h.List[0].Legs[0].Name != "i" {
		t.Errorf("hint line %+v", h)
	}
	s := p.Stmts[7].(*ExprStmt).X.(*SumOver)
	if s.Leg.Name != "h" || src[s.Leg.Pos:s.Leg.Pos+1] != "h" {
		t.Errorf("Σ_h parsed as %+v", s)
	}
}

func typeName(v any) string {
	return strings.Split(strings.TrimPrefix(strings.TrimPrefix(fmtType(v), "*"), "notation."), " ")[0]
}

func fmtType(v any) string {
	switch v.(type) {
	case *CommentStmt:
		return "CommentStmt"
	case *DimStmt:
		return "DimStmt"
	case *KindStmt:
		return "KindStmt"
	case *HintStmt:
		return "HintStmt"
	case *AssignStmt:
		return "AssignStmt"
	case *ExprStmt:
		return "ExprStmt"
	case *EquationStmt:
		return "EquationStmt"
	}
	return "?"
}

func TestParseProgramExpressions(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string // Format of the statement
	}{
		{"A[q k] = softmax_k(Q[q d] K[k d])", "A[q k] = softmax_k(Q[q d] K[k d])"},
		{"h = gelu_new(x[b])", "h = gelu_new(x[b])"},
		{"y = 2 A[i] B[i] - 0.5 C[j] D[j] + 1e-3", "y = 2 A[i] B[i] - 0.5 C[j] D[j] + 0.001"},
		{"sum_h Q[h q] K[h k]", "Σ_h Q[h q] K[h k]"},
		{"V^H[i j] V^T[j k] X^-1[k l] W^†[l m]", "V†[i j] Vᵀ[j k] X⁻¹[k l] W†[l m]"},
		{"conj(V[i j]) conj(V)ᵀ[j k]", "conj(V)[i j] V†[j k]"},
		{"A[i,j] B[ j , k ]", "A[i j] B[j k]"},
		{"y[i] =\n  A[i j] x[j] +\n  b[i]", "y[i] = A[i j] x[j] + b[i]"},
		{"y[i] = f(A[i j]\n  x[j])", "y[i] = f(A[i j] x[j])"},
		{"y = +x", "y = x"},
		{"x[i] −y[i]", "x[i] - y[i]"},
		{"x[i] ≠ y[i]", "x[i] != y[i]"},
		{"A[k q] = δ[k q+1] δ[q k - 2]", "A[k q] = δ[k q+1] δ[q k-2]"},
		{"s = sum_k(A[h k])[h]", "s = sum_k(A[h k])[h]"},
		{"Σ[i j] x[i]", "Σ[i j] x[i]"},
		{"s t", "s[] t"},
	} {
		p, err := ParseProgram(tc.src)
		if err != nil {
			t.Errorf("ParseProgram(%q): %v", tc.src, err)
			continue
		}
		if len(p.Stmts) != 1 {
			t.Errorf("ParseProgram(%q): %d statements", tc.src, len(p.Stmts))
			continue
		}
		if got := Format(p.Stmts[0]); got != tc.want {
			t.Errorf("ParseProgram(%q) formats as %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestFuncSubscript(t *testing.T) {
	p, err := ParseProgram("softmax_k(Q[q d] K[k d]) + gelu_new(x[q k]) + my_fn_q(x[q k])")
	if err != nil {
		t.Fatal(err)
	}
	terms := p.Stmts[0].(*ExprStmt).X.(*Sum).Terms
	for i, want := range [][2]string{{"softmax", "k"}, {"gelu_new", ""}, {"my_fn", "q"}} {
		f := terms[i].X.(*FuncCall)
		if f.Func != want[0] || f.Leg != want[1] {
			t.Errorf("call %d: func %q leg %q, want %q %q", i, f.Func, f.Leg, want[0], want[1])
		}
	}
}

func TestParseProgramErrors(t *testing.T) {
	for _, tc := range []struct {
		src       string
		pos       int
		line, col int
		msg       string
	}{
		{"M[i j] = A[i k] * B[k j]", 16, 1, 17, "factors are multiplied by juxtaposition"},
		{"x[i] = y[i]\nz[i] = w[i j\n", 24, 2, 13, "expected a leg name"},
		{"a = b\nM[i j] =", 14, 2, 9, "expected a tensor"},
		{"dim i=2 j=x", 10, 1, 11, "expected number"},
		{"dim i=0", 6, 1, 7, "positive integer"},
		{"dim i=2.5", 6, 1, 7, "positive integer"},
		{"A[i] + B[i] = C[i]", 0, 1, 1, "left side of '='"},
		{"V†[i] = C[i]", 0, 1, 1, "left side of '='"},
		{"2 A: unitary", 0, 1, 1, "kind declaration starts with a tensor"},
		{"U[(i j)]: unitary", 2, 1, 3, "plain names"},
		{"U: isometry(i -> j -> k)", 19, 1, 20, "a second '->'"},
		{"U: isometry(i [)", 14, 1, 15, "expected a leg name or '->'"},
		{"@A(0)", 0, 1, 1, "two numbers"},
		{"U: unitary @U(0, 1)", 11, 1, 12, "not a kind declaration"},
		{"@middle(i)", 0, 1, 1, "@left, @right, @top or @bottom"},
		{"@left(i) x[i]", 9, 1, 10, "unexpected name"},
		{"A[i]\n  B[i]\n  ^", 14, 3, 3, "'^' must be followed by"},
		{"Σ_ A[i]", 0, 1, 1, "Σ_ needs a leg name"},
		{"V†† [i]", 4, 1, 3, "repeated conjugation"},
		{"Vᵀᵀ[i]", 4, 1, 3, "repeated transpose"},
		{"X⁻¹^-1[i]", 6, 1, 4, "repeated inverse"},
		{"A[()]", 2, 1, 3, "an empty group"},
		{"A[(i (j))]", 5, 1, 6, "expected a leg name or ')'"},
		{"f()", 0, 1, 1, "needs an argument"},
		{"f(x[i]", 1, 1, 2, "unclosed '('"},
		{"(A[i]", 0, 1, 1, "unclosed '('"},
		{"(A[i] ]", 6, 1, 7, "expected ')' to close the '(' at column 1"},
		{"A[i] $", 5, 1, 6, "unknown character '$'"},
		{"A[i] !x", 5, 1, 6, "unknown character '!'"},
		{"1e999 A[i]", 0, 1, 1, "out of range"},
		{"δ[k q+0]", 7, 1, 7, "nonzero integer"},
		{"f(x[i])[(i j)]", 8, 1, 9, "plain names"},
		{"A[i] = )", 7, 1, 8, "expected a tensor, a number or '('"},
	} {
		_, err := ParseProgram(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseProgram(%q): got %v, want a syntax error", tc.src, err)
			continue
		}
		if se.Pos != tc.pos || se.Line != tc.line || se.Col != tc.col || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("ParseProgram(%q): error %q at %d (%d:%d), want %q at %d (%d:%d)",
				tc.src, se.Msg, se.Pos, se.Line, se.Col, tc.msg, tc.pos, tc.line, tc.col)
		}
		checkErrorPos(t, tc.src, err)
	}
}

func TestParseProgramErrorList(t *testing.T) {
	src := "a = b c\nx[i = y\nok[i] = z[i]\nw[) = 1\n"
	_, err := ParseProgram(src)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("got %v, want two errors", err)
	}
	if list[0].Line != 2 || list[1].Line != 4 || list[0].Pos > list[1].Pos {
		t.Errorf("errors not sorted by position or on the wrong lines: %v", list)
	}
	var first *SyntaxError
	if !errors.As(err, &first) || first != list[0] {
		t.Errorf("errors.As does not find the first error")
	}
	if !strings.HasSuffix(err.Error(), "(and 1 more errors)") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error text %q", err.Error())
	}
	var many strings.Builder
	for range 30 {
		many.WriteString("x[ = 1\n")
	}
	if _, err := ParseProgram(many.String()); !errors.As(err, &list) || len(list) != maxErrors {
		t.Errorf("30 bad lines gave %v", err)
	}
}

func TestParseProgramBlankLines(t *testing.T) {
	p, err := ParseProgram("\n\na[i]\nb[i]\n\n\nc[i]; d[i]\n")
	if err != nil {
		t.Fatal(err)
	}
	var blanks []bool
	for _, s := range p.Stmts {
		blanks = append(blanks, s.Info().Blank)
	}
	if want := []bool{false, false, true, false}; len(blanks) != 4 || blanks[2] != want[2] || blanks[0] || blanks[1] || blanks[3] {
		t.Errorf("blank flags %v, want %v", blanks, want)
	}
	if got := Format(p); got != "a[i]\nb[i]\n\nc[i]\nd[i]\n" {
		t.Errorf("formatted %q", got)
	}
}

func TestParseProgramDepth(t *testing.T) {
	deep := strings.Repeat("f(", maxDepth+1) + "x[i]" + strings.Repeat(")", maxDepth+1)
	_, err := ParseProgram(deep)
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "nested more than") {
		t.Errorf("deep nesting gave %v", err)
	}
	ok := strings.Repeat("(", maxDepth-1) + "x[i]" + strings.Repeat(")", maxDepth-1)
	if _, err := ParseProgram(ok); err != nil {
		t.Errorf("nesting %d deep: %v", maxDepth-1, err)
	}
}

func TestParseProgramManyErrors(t *testing.T) {
	src := "σ" + strings.Repeat("}", 100000)
	_, err := ParseProgram(src)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != maxErrors {
		t.Fatalf("got %v, want %d errors", err, maxErrors)
	}
	if list[0].Pos != len("σ") || list[maxErrors-1].Pos != len("σ")+maxErrors-1 {
		t.Errorf("errors at %d..%d", list[0].Pos, list[maxErrors-1].Pos)
	}
}
