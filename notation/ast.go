package notation

// Node is any parsed form or part of one. Span returns the byte offsets of its
// first byte and of the byte after it in the source.
type Node interface {
	Span() (pos, end int)
}

// Style is the dialect of an einsum equation.
type Style int

const (
	// StyleAuto lets the parser choose by the style rule (see [ParseEinsum]).
	StyleAuto Style = iota
	// StyleNumpy: one ASCII letter per label, terms "ij,jk->ik", spaces ignored.
	StyleNumpy
	// StyleEinops: whitespace-separated names "i j, j k -> i k", "->" required,
	// groups "(i k)".
	StyleEinops
)

func (s Style) String() string {
	switch s {
	case StyleNumpy:
		return "numpy"
	case StyleEinops:
		return "einops"
	}
	return "auto"
}

// AxisKind tells what an [Axis] is.
type AxisKind int

const (
	AxisName     AxisKind = iota // a named axis: i, α, seq_pos
	AxisEllipsis                 // "...": any number of broadcast axes
	AxisGroup                    // "(i k)": one axis that is the flattened group
	AxisNumber                   // an anonymous axis of a given size (patterns only)
)

// Axis is one axis of a term: a name, an ellipsis, a group of axes flattened
// into one (row-major: the first member varies slowest), or an anonymous axis
// of a given size. A top-level "()" is a group with no members (a unit axis).
type Axis struct {
	Pos, End int
	Kind     AxisKind
	Name     string // AxisName
	Offset   int    // AxisName in index notation: the shift in δ[k q+1]
	Size     int    // AxisNumber
	Group    []Axis // AxisGroup: names, numbers or one ellipsis
}

// Span implements Node.
func (a *Axis) Span() (int, int) { return a.Pos, a.End }

// Term is the axis list of one operand or of the output.
type Term struct {
	Pos, End int
	Axes     []Axis
}

// Span implements Node.
func (t *Term) Span() (int, int) { return t.Pos, t.End }

// Einsum is a parsed einsum equation such as "ij,jk->ik" or
// "i α β, β, β α j -> i j". Inputs holds one term per operand; Output is nil
// when the output is implicit (numpy style without "->").
type Einsum struct {
	Pos, End int
	Style    Style
	Inputs   []*Term
	Output   *Term
	ArrowPos int // offset of "->", or -1
}

// Span implements Node.
func (e *Einsum) Span() (int, int) { return e.Pos, e.End }

// Pattern is a parsed einops rearrange/reduce/repeat pattern such as
// "b (h w) c -> b h w c".
type Pattern struct {
	Pos, End    int
	Left, Right *Term
	ArrowPos    int
}

// Span implements Node.
func (p *Pattern) Span() (int, int) { return p.Pos, p.End }

// Op is the operation of a pasted call.
type Op int

const (
	OpEinsum Op = iota
	OpRearrange
	OpReduce
	OpRepeat
)

func (o Op) String() string {
	switch o {
	case OpRearrange:
		return "rearrange"
	case OpReduce:
		return "reduce"
	case OpRepeat:
		return "repeat"
	}
	return "einsum"
}

// ParseOp returns the Op named "einsum", "rearrange", "reduce" or "repeat".
func ParseOp(name string) (Op, bool) {
	for _, o := range []Op{OpEinsum, OpRearrange, OpReduce, OpRepeat} {
		if o.String() == name {
			return o, true
		}
	}
	return 0, false
}

// Call is a pasted Python call such as einsum(A, B, 'i j, j k -> i k'),
// torch.einsum('ij,jk->ik', a, b) or rearrange(T, 'i j k l -> (i l) (k j)').
type Call struct {
	Pos, End     int
	Result       string // the name in "M = einsum(...)", or ""
	ResultPos    int
	Func         string // the function as written: "einsum", "torch.einsum", "einops.rearrange"
	FuncPos      int
	Op           Op
	Operands     []*Operand // the tensor arguments in order
	Einsum       *Einsum    // Op == OpEinsum
	Pattern      *Pattern   // rearrange, reduce, repeat
	StringFirst  bool       // the equation precedes the operands (numpy, torch, opt_einsum)
	StringPos    int        // offset of the opening quote of the equation or pattern
	Reduction    string     // reduce: "sum", "mean", …
	ReductionPos int
	Keywords     []*Keyword // rearrange/reduce/repeat axis sizes; einsum: optimize=…
}

// Span implements Node.
func (c *Call) Span() (int, int) { return c.Pos, c.End }

// Operand is a tensor argument of a pasted call. Expr is its source text;
// Name is the tensor it names: the identifier itself, V for conj(V),
// torch.conj(V), V.conj() or V.T, and "I<n>" for eye(n).
type Operand struct {
	Pos, End  int
	Expr      string
	Name      string
	Conj      bool // conj(V), t.conj(V), V.conj()
	Transpose bool // V.T
	Eye       int  // n for eye(n), np.eye(n), torch.eye(n); 0 otherwise
}

// Span implements Node.
func (o *Operand) Span() (int, int) { return o.Pos, o.End }

// Keyword is a keyword argument name=value of a pasted call. Value is the
// source text; Int holds its value when it is an integer literal (IsInt).
type Keyword struct {
	Pos, End int
	Name     string
	Value    string
	Int      int
	IsInt    bool
}

// Span implements Node.
func (k *Keyword) Span() (int, int) { return k.Pos, k.End }

// Ident is a name with its position.
type Ident struct {
	Pos  int
	Name string
}

// Program is a parsed file of strand index notation: one statement per line
// (or separated by ';').
type Program struct {
	Pos, End int
	Stmts    []Stmt
}

// Span implements Node.
func (p *Program) Span() (int, int) { return p.Pos, p.End }

// Stmt is one statement of a [Program]: *CommentStmt, *DimStmt, *KindStmt,
// *HintStmt, *AssignStmt, *DecompStmt, *ExprStmt or *EquationStmt.
type Stmt interface {
	Node
	Info() *StmtInfo
}

// StmtInfo holds what every statement has besides its content.
type StmtInfo struct {
	Pos, End int
	Blank    bool    // an empty line precedes the statement
	Comment  string  // trailing comment, the text after '#'
	Hints    []*Hint // trailing layout hints: they apply to this statement only
}

// Span implements Node.
func (s *StmtInfo) Span() (int, int) { return s.Pos, s.End }

// Info returns the statement's common fields.
func (s *StmtInfo) Info() *StmtInfo { return s }

// CommentStmt is a line holding only a comment.
type CommentStmt struct {
	StmtInfo
	Text string // after '#'
}

// DimStmt declares leg sizes: dim i=2 j=3 hidden=768.
type DimStmt struct {
	StmtInfo
	Dims []*DimDecl
}

// DimDecl is one name=size of a [DimStmt].
type DimDecl struct {
	Pos  int
	Name string
	Size int
}

// KindStmt declares a tensor's kind: "U: isometry(i j -> k)", "Q: unitary",
// "B[l s r]: isometry(s r -> l)". Tensor carries the optional axis names in
// brackets; In and Out the legs before and after "->" in the parentheses.
type KindStmt struct {
	StmtInfo
	Tensor  *Tensor
	Kind    Ident
	HasArgs bool // parentheses were written
	In, Out []Ident
}

// HintStmt is a line of layout hints; they apply to every statement of the
// file that has the named tensor or free leg.
type HintStmt struct {
	StmtInfo
	List []*Hint
}

// HintKind tells a pin from a side hint.
type HintKind int

const (
	HintPin  HintKind = iota // @A(0, 1): tensor A at (0, 1)
	HintSide                 // @left(i j): free legs i and j on the left
)

// Hint is a layout hint. Pins name a tensor as it is written (decorations
// included, "V†"); side hints name a side (left, right, top, bottom) and legs.
type Hint struct {
	Pos, End int
	Kind     HintKind
	Target   string // tensor (pin) or side (side hint)
	X, Y     float64
	Legs     []Ident
}

// Span implements Node.
func (h *Hint) Span() (int, int) { return h.Pos, h.End }

// AssignStmt defines a tensor: M[i j] = A[i k] B[k j]. The left side lists the
// free legs in order.
type AssignStmt struct {
	StmtInfo
	LHS *Tensor
	RHS Expr
}

// Decompositions are the functions a [DecompStmt] may call.
var Decompositions = []string{"svd", "qr", "cp", "tucker", "tt"}

// DecompStmt defines tensors as the factors of a decomposition of a value:
// U[i a] λ[a] V†[a k] = svd(M[i k]). Each leg of the argument goes to the
// factor that carries it; the other legs are the new bonds.
type DecompStmt struct {
	StmtInfo
	Factors []*Tensor
	Call    *FuncCall // Func is one of Decompositions
}

// ExprStmt is an expression alone; its free legs are the legs that appear
// exactly once, in order of first appearance.
type ExprStmt struct {
	StmtInfo
	X Expr
}

// Relation is the relation of an equation.
type Relation int

const (
	RelEqual    Relation = iota // ==
	RelNotEqual                 // != or ≠
)

// EquationStmt is an equation for strand to check: A[i j] B[j i] == B[j i] A[i j].
type EquationStmt struct {
	StmtInfo
	LHS, RHS Expr
	Rel      Relation
	RelPos   int
}

// Expr is an expression of index notation: *Number, *Tensor, *FuncCall,
// *Product, *Sum, *Paren or *SumOver.
type Expr interface {
	Node
	expr()
}

// Number is a numeric factor such as 0.5.
type Number struct {
	Pos, End int
	Value    float64
}

// Tensor is a tensor with its legs: A[i (j k)], V†[k j], conj(V)[k j], X⁻¹[i j].
// A bare name is a tensor with no legs (a scalar).
type Tensor struct {
	Pos, End  int
	Name      string
	Conj      bool // conj(V), or with Transpose: V†
	Transpose bool // Vᵀ: legs in reverse order of V's
	Inverse   bool // X⁻¹: the matrix inverse
	Legs      []Axis
}

// FuncCall is a function bubble: gelu(W[b a] x[a]), softmax_k(Q[q d] K[k d]),
// pow(x[i], 2). Leg is the subscript naming the leg that the function consumes
// or normalises over ("" for elementwise functions). Legs, when written as in
// softmax_k(Q[h q d] K[h k d])[h q k], lists the bubble's legs; otherwise they
// are the legs that appear once in the arguments.
type FuncCall struct {
	Pos, End int
	Func     string
	Leg      string
	LegPos   int
	Args     []Expr
	Legs     []Axis
}

// Product is two or more factors multiplied by juxtaposition.
type Product struct {
	Pos, End int
	Factors  []Expr
}

// Sum is terms added or subtracted; a leading minus makes a Sum of one term.
type Sum struct {
	Pos, End int
	Terms    []SumTerm
}

// SumTerm is one term of a [Sum]. OpPos is the offset of its sign, or -1.
type SumTerm struct {
	Neg   bool
	OpPos int
	X     Expr
}

// Paren is a parenthesised expression.
type Paren struct {
	Pos, End int
	X        Expr
}

// SumOver is Σ_h X (also written sum_h X): X summed over leg h.
type SumOver struct {
	Pos, End int
	Leg      Ident
	X        Expr
}

// Span implements Node for each expression type.
func (x *Number) Span() (int, int)   { return x.Pos, x.End }
func (x *Tensor) Span() (int, int)   { return x.Pos, x.End }
func (x *FuncCall) Span() (int, int) { return x.Pos, x.End }
func (x *Product) Span() (int, int)  { return x.Pos, x.End }
func (x *Sum) Span() (int, int)      { return x.Pos, x.End }
func (x *Paren) Span() (int, int)    { return x.Pos, x.End }
func (x *SumOver) Span() (int, int)  { return x.Pos, x.End }

func (*Number) expr()   {}
func (*Tensor) expr()   {}
func (*FuncCall) expr() {}
func (*Product) expr()  {}
func (*Sum) expr()      {}
func (*Paren) expr()    {}
func (*SumOver) expr()  {}

// DisplayName returns the tensor's name with its decorations as the printer
// writes them: "V†", "Vᵀ", "X⁻¹", "conj(V)".
func (x *Tensor) DisplayName() string {
	name := x.Name
	switch {
	case x.Conj && x.Transpose:
		name += "†"
	case x.Conj:
		name = "conj(" + name + ")"
	case x.Transpose:
		name += "ᵀ"
	}
	if x.Inverse {
		name += "⁻¹"
	}
	return name
}
