package interp

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/internal/kernel"
	"github.com/strand-tn/strand/tensor"
)

// RunOptions control [Run]. The zero value computes the logits only.
type RunOptions[T Float] struct {
	// Cache records every activation in Result.Cache.
	Cache bool
	// HeadResults computes each head's output separately (HookResult) even
	// when nothing is cached; Cache and a patch of HookResult imply it.
	HeadResults bool
	// Patch replaces activations (activation patching): when the forward
	// pass reaches an activation named here it continues with the given
	// tensor instead, which must have the activation's shape. Patching
	// HookPattern freezes attention. Every entry must match an activation of
	// the run, or Run returns an error.
	Patch map[Act]*tensor.Dense[T]
	// Hook, if set, sees every activation after patching, in forward order,
	// and returns the tensor to continue with (x itself, or a replacement of
	// the same shape). An error stops the run.
	Hook func(a Act, x *tensor.Dense[T]) (*tensor.Dense[T], error)
}

// Result is the output of [Run].
type Result[T Float] struct {
	Logits *tensor.Dense[T] // [pos, d_vocab]
	Cache  Cache[T]         // nil unless RunOptions.Cache
}

// Forward returns the logits [pos, d_vocab] of the model on one sequence of
// tokens: a pure function of p and tokens.
func Forward[T Float](p *Params[T], tokens []int) (*tensor.Dense[T], error) {
	r, err := Run(p, tokens, RunOptions[T]{})
	if err != nil {
		return nil, err
	}
	return r.Logits, nil
}

// Run evaluates the model on one sequence of tokens (the math is in the
// documentation of [Params] and [Block]).
func Run[T Float](p *Params[T], tokens []int, opts RunOptions[T]) (*Result[T], error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkTokens(p.Config, tokens); err != nil {
		return nil, err
	}
	r := &runner[T]{p: p, opts: opts, used: map[Act]bool{}}
	if opts.Cache {
		r.cache = Cache[T]{}
	}
	r.results = opts.Cache || opts.HeadResults
	for a := range opts.Patch {
		if a.Point == HookResult {
			r.results = true
		}
	}
	logits, err := r.run(tokens)
	if err != nil {
		return nil, err
	}
	var missed []string
	for a := range opts.Patch {
		if !r.used[a] {
			missed = append(missed, a.String())
		}
	}
	if len(missed) > 0 {
		slices.Sort(missed)
		return nil, fmt.Errorf("interp: patched activations %s do not occur in this model", strings.Join(missed, ", "))
	}
	return &Result[T]{Logits: logits, Cache: r.cache}, nil
}

func checkTokens(c Config, tokens []int) error {
	if len(tokens) == 0 {
		return fmt.Errorf("interp: no tokens")
	}
	if len(tokens) > c.NCtx {
		return fmt.Errorf("interp: %d tokens, but the model has only %d positions", len(tokens), c.NCtx)
	}
	for i, t := range tokens {
		if t < 0 || t >= c.DVocab {
			return fmt.Errorf("interp: token %d at position %d is outside the vocabulary [0, %d)", t, i, c.DVocab)
		}
	}
	return nil
}

type runner[T Float] struct {
	p       *Params[T]
	opts    RunOptions[T]
	cache   Cache[T]
	results bool
	used    map[Act]bool
}

// emit passes activation x through the patches, the hook and the cache, and
// returns the tensor the forward pass continues with.
func (r *runner[T]) emit(a Act, x *tensor.Dense[T]) (*tensor.Dense[T], error) {
	if y, ok := r.opts.Patch[a]; ok {
		if !slices.Equal(y.Shape(), x.Shape()) {
			return nil, fmt.Errorf("interp: patch for %s has shape %v, the activation has %v", a, y.Shape(), x.Shape())
		}
		r.used[a] = true
		x = y.Contiguous()
	}
	if r.opts.Hook != nil {
		y, err := r.opts.Hook(a, x)
		if err != nil {
			return nil, fmt.Errorf("interp: hook at %s: %w", a, err)
		}
		if y == nil || !slices.Equal(y.Shape(), x.Shape()) {
			return nil, fmt.Errorf("interp: hook at %s returned shape %v, the activation has %v", a, shapeOf(y), x.Shape())
		}
		x = y.Contiguous()
	}
	if r.cache != nil {
		r.cache[a] = x
	}
	return x, nil
}

func shapeOf[T Float](t *tensor.Dense[T]) []int {
	if t == nil {
		return nil
	}
	return t.Shape()
}

func (r *runner[T]) run(tokens []int) (*tensor.Dense[T], error) {
	p, c := r.p, r.p.Config
	n := len(tokens)
	emb := tensor.Zeros[T](n, c.DModel)
	for i, t := range tokens {
		emb.Index(0, i).CopyFrom(p.WE.Index(0, t))
	}
	emb, err := r.emit(Act{Point: HookEmbed}, emb)
	if err != nil {
		return nil, err
	}
	pos, err := r.emit(Act{Point: HookPosEmbed}, p.WPos.Slice(0, 0, n, 1).Contiguous())
	if err != nil {
		return nil, err
	}
	x := tensor.Add(emb, pos)
	for l := range p.Blocks {
		if x, err = r.block(l, x); err != nil {
			return nil, err
		}
	}
	x, err = r.layerNorm(-1, HookLNFinalScale, HookLNFinalNorm, p.LNFinal, x)
	if err != nil {
		return nil, err
	}
	if p.WU != nil {
		return ein(specUnembed, x, p.WU), nil
	}
	return ein(specUnembedTied, x, p.WE), nil
}

// Contractions of the forward pass, in einops form. Legs: p, q, k positions;
// m model; h head; e head dimension; f MLP hidden; v vocabulary.
var (
	specQKV         = mustSpec("p m, m h e -> p h e")
	specScores      = mustSpec("q h e, k h e -> h q k")
	specZ           = mustSpec("h q k, k h e -> q h e")
	specResult      = mustSpec("q h e, h e m -> q h m")
	specAttnOut     = mustSpec("q h e, h e m -> q m")
	specMLPIn       = mustSpec("p m, m f -> p f")
	specMLPOut      = mustSpec("p f, f m -> p m")
	specUnembed     = mustSpec("p m, m v -> p v")
	specUnembedTied = mustSpec("p m, v m -> p v")
)

// mustSpec turns einops text ("i j, j k -> i k") written in this package into
// a contract.Spec.
func mustSpec(s string) contract.Spec {
	lhs, rhs, ok := strings.Cut(s, "->")
	if !ok {
		panic("interp: bad built-in spec " + s)
	}
	var sp contract.Spec
	for _, term := range strings.Split(lhs, ",") {
		sp.Inputs = append(sp.Inputs, strings.Fields(term))
	}
	sp.Output = strings.Fields(rhs)
	return sp
}

// ein evaluates a contraction whose operand shapes the caller has already
// checked; an error here is a bug in this package.
func ein[T Float](s contract.Spec, ops ...*tensor.Dense[T]) *tensor.Dense[T] {
	out, err := contract.Einsum(s, ops...)
	if err != nil {
		panic(fmt.Sprintf("interp: internal contraction %v: %v", s, err))
	}
	return out
}

func (r *runner[T]) block(l int, x *tensor.Dense[T]) (*tensor.Dense[T], error) {
	p, c, b := r.p, r.p.Config, &r.p.Blocks[l]
	n := x.Dim(0)
	x, err := r.emit(At(l, HookResidPre), x)
	if err != nil {
		return nil, err
	}
	h, err := r.layerNorm(l, HookLN1Scale, HookLN1Normalized, b.LN1, x)
	if err != nil {
		return nil, err
	}
	proj := func(pt Point, w, bias *tensor.Dense[T]) (*tensor.Dense[T], error) {
		y := ein(specQKV, h, w)
		addBias(y.Data(), bias.Contiguous().Data())
		return r.emit(At(l, pt), y)
	}
	q, err := proj(HookQ, b.WQ, b.BQ)
	if err != nil {
		return nil, err
	}
	k, err := proj(HookK, b.WK, b.BK)
	if err != nil {
		return nil, err
	}
	v, err := proj(HookV, b.WV, b.BV)
	if err != nil {
		return nil, err
	}
	s := ein(specScores, q, k)
	scale := T(1 / math.Sqrt(float64(c.DHead)))
	sd := s.Data()
	for i := range sd {
		sd[i] *= scale
	}
	maskCausal(sd, c.NHead, n)
	if s, err = r.emit(At(l, HookAttnScores), s); err != nil {
		return nil, err
	}
	a := tensor.Zeros[T](c.NHead, n, n)
	if h, q, ok := softmaxCausal(a.Data(), s.Data(), c.NHead, n); !ok {
		return nil, fmt.Errorf("interp: %s: the scores of head %d, query %d are all −∞", At(l, HookAttnScores), h, q)
	}
	if a, err = r.emit(At(l, HookPattern), a); err != nil {
		return nil, err
	}
	z, err := r.emit(At(l, HookZ), ein(specZ, a, v))
	if err != nil {
		return nil, err
	}
	var out *tensor.Dense[T]
	if r.results {
		res, err := r.emit(At(l, HookResult), ein(specResult, z, b.WO))
		if err != nil {
			return nil, err
		}
		out = sumHeads(res)
	} else {
		out = ein(specAttnOut, z, b.WO)
	}
	addBias(out.Data(), b.BO.Contiguous().Data())
	if out, err = r.emit(At(l, HookAttnOut), out); err != nil {
		return nil, err
	}
	x = tensor.Add(x, out)
	if p.Config.AttnOnly {
		return r.emit(At(l, HookResidPost), x)
	}
	if x, err = r.emit(At(l, HookResidMid), x); err != nil {
		return nil, err
	}
	h, err = r.layerNorm(l, HookLN2Scale, HookLN2Normalized, b.LN2, x)
	if err != nil {
		return nil, err
	}
	pre := ein(specMLPIn, h, b.WIn)
	addBias(pre.Data(), b.BIn.Contiguous().Data())
	if pre, err = r.emit(At(l, HookMLPPre), pre); err != nil {
		return nil, err
	}
	post, err := r.emit(At(l, HookMLPPost), geluNew(pre))
	if err != nil {
		return nil, err
	}
	mlp := ein(specMLPOut, post, b.WOut)
	addBias(mlp.Data(), b.BOut.Contiguous().Data())
	if mlp, err = r.emit(At(l, HookMLPOut), mlp); err != nil {
		return nil, err
	}
	return r.emit(At(l, HookResidPost), tensor.Add(x, mlp))
}

// layerNorm applies ln to x (rows are positions), emitting σ and the result;
// without LayerNorm it returns x unchanged and emits nothing. Layer −1 means
// the final LayerNorm.
func (r *runner[T]) layerNorm(l int, scalePt, normPt Point, ln LayerNorm[T], x *tensor.Dense[T]) (*tensor.Dense[T], error) {
	if r.p.Config.NoLayerNorm {
		return x, nil
	}
	l = max(l, 0)
	n, d := x.Dim(0), x.Dim(1)
	sigma := tensor.Zeros[T](n)
	xs, ss, eps := x.Data(), sigma.Data(), r.p.Config.eps()
	parallelRows(n, 5*d, func(r0, r1 int) { layerNormScale(ss[r0:r1], xs[r0*d:r1*d], d, eps) })
	sigma, err := r.emit(At(l, scalePt), sigma)
	if err != nil {
		return nil, err
	}
	y := tensor.Zeros[T](n, d)
	ys, ss, w, b := y.Data(), sigma.Data(), ln.W.Contiguous().Data(), ln.B.Contiguous().Data()
	parallelRows(n, 5*d, func(r0, r1 int) { layerNormApply(ys[r0*d:r1*d], xs[r0*d:r1*d], ss[r0:r1], w, b, d) })
	return r.emit(At(l, normPt), y)
}

// layerNormScale sets sigma[p] = √(var_m x[p,m] + ε) for the rows of x.
func layerNormScale[T Float](sigma, x []T, d int, eps float64) {
	for p := range sigma {
		row := x[p*d : (p+1)*d]
		mu := mean(row)
		var v float64
		for _, xi := range row {
			v += (float64(xi) - mu) * (float64(xi) - mu)
		}
		sigma[p] = T(math.Sqrt(v/float64(d) + eps))
	}
}

// layerNormApply sets y[p,m] = (x[p,m] − μ_p)/σ_p · w[m] + b[m].
func layerNormApply[T Float](y, x, sigma, w, b []T, d int) {
	for p, s := range sigma {
		row := x[p*d : (p+1)*d]
		mu := mean(row)
		out := y[p*d : (p+1)*d]
		for m, xi := range row {
			out[m] = T((float64(xi)-mu)/float64(s))*w[m] + b[m]
		}
	}
}

func mean[T Float](x []T) float64 {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	return s / float64(len(x))
}

// addBias adds the vector b to every row of the row-major matrix x.
func addBias[T Float](x, b []T) {
	d := len(b)
	for r := 0; r+d <= len(x); r += d {
		row := x[r : r+d]
		for j, v := range b {
			row[j] += v
		}
	}
}

// geluNew returns GeluNew applied to every element of x, in a new tensor;
// float32 in float32 arithmetic (kernel.GeluTanh32, vectorised).
func geluNew[T Float](x *tensor.Dense[T]) *tensor.Dense[T] {
	out := tensor.Zeros[T](x.Shape()...)
	src, dst := x.Data(), out.Backing()
	cost := 12 // ns an element through math.Tanh
	if _, ok := any(src).([]float32); ok {
		cost = 1 // the vector loop
	}
	parallelRows(len(src), cost, func(i0, i1 int) {
		if src32, ok := any(src[i0:i1]).([]float32); ok {
			kernel.GeluTanh32(any(dst[i0:i1]).([]float32), src32)
			return
		}
		for i, v := range src[i0:i1] {
			dst[i0+i] = GeluNew(v)
		}
	})
	return out
}

// parallelWork is the least work worth a second goroutine in parallelRows,
// in nanoseconds of one core: the pool hands a part to a polling worker in
// microseconds, to a parked one in 0.1–0.3 ms on a virtual machine.
const parallelWork = 200_000

// parallelRows calls f on contiguous ranges of the rows 0…n-1 (each taking
// about rowCost ns on one core, as measured on the development VM) that
// together cover them once, on up to kernel.Threads goroutines (the
// kernel's pool, whose workers poll between calls) when there are
// parallelWork ns of work or more. Each row is computed whole by one call,
// so results do not depend on the split.
func parallelRows(n, rowCost int, f func(r0, r1 int)) {
	parts := min(kernel.Threads(), n, n*rowCost/parallelWork)
	if parts <= 1 {
		f(0, n)
		return
	}
	kernel.Parallel(parts, func(p int) { f(p*n/parts, (p+1)*n/parts) })
}

// sumHeads returns Σ_h res[q,h,m] as [pos, d_model].
func sumHeads[T Float](res *tensor.Dense[T]) *tensor.Dense[T] {
	n, nh, d := res.Dim(0), res.Dim(1), res.Dim(2)
	out := tensor.Zeros[T](n, d)
	src, dst := res.Data(), out.Data()
	for q := range n {
		row := dst[q*d : (q+1)*d]
		for h := range nh {
			for m, v := range src[(q*nh+h)*d : (q*nh+h+1)*d] {
				row[m] += v
			}
		}
	}
	return out
}

// maskCausal sets s[h,q,k] = −∞ for k > q.
func maskCausal[T Float](s []T, nh, n int) {
	inf := T(math.Inf(-1))
	for h := range nh {
		for q := range n {
			row := s[(h*n+q)*n : (h*n+q+1)*n]
			for k := q + 1; k < n; k++ {
				row[k] = inf
			}
		}
	}
}

// softmaxCausal sets a[h,q,k] = exp(s[h,q,k]) / Σ_{k'≤q} exp(s[h,q,k']) for
// k ≤ q and 0 above the diagonal, whatever s holds there. It reports the
// first row whose scores are all −∞ (ok false), which has no softmax.
func softmaxCausal[T Float](a, s []T, nh, n int) (h, q int, ok bool) {
	var bad atomic.Int64 // the first row (h·n + q) found all −∞
	bad.Store(int64(nh * n))
	cost := 17 // ns an element of a float64 row (math.Exp)
	if _, ok := any(s).([]float32); ok {
		cost = 8 // kernel.ExpShift32
	}
	parallelRows(nh*n, cost*(n/2+1), func(r0, r1 int) {
		for r := r0; r < r1; r++ {
			row := r*n + r%n + 1
			if softmaxRow(a[r*n:row], s[r*n:row]) {
				continue
			}
			for b := bad.Load(); int64(r) < b && !bad.CompareAndSwap(b, int64(r)); b = bad.Load() {
			}
			return
		}
	})
	if r := int(bad.Load()); r < nh*n {
		return r / n, r % n, false
	}
	return 0, 0, true
}

// softmaxRow sets out = softmax(in), or reports that in is all −∞. A
// float32 row takes its exponentials in float32 (kernel.ExpShift32); the
// sum and the division are in float64 either way.
func softmaxRow[T Float](out, in []T) bool {
	mx := math.Inf(-1)
	for _, v := range in {
		mx = max(mx, float64(v))
	}
	if math.IsInf(mx, -1) {
		return false
	}
	var sum float64
	if in32, ok := any(in).([]float32); ok {
		out32 := any(out).([]float32)
		kernel.ExpShift32(out32, in32, float32(mx))
		for _, e := range out32 {
			sum += float64(e)
		}
	} else {
		for k, v := range in {
			e := math.Exp(float64(v) - mx)
			out[k] = T(e)
			sum += e
		}
	}
	for k := range out {
		out[k] = T(float64(out[k]) / sum)
	}
	return true
}

// GeluNew is GPT-2's tanh approximation of the GELU (Hendrycks & Gimpel 2016):
//
//	gelu_new(x) = ½ x (1 + tanh(√(2/π) (x + 0.044715 x³)))
func GeluNew[T Float](x T) T {
	v := float64(x)
	return T(0.5 * v * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(v+0.044715*v*v*v))))
}
