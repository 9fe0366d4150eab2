package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/decomp"
	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

func init() {
	register(&Command{
		Name:    "decompose",
		Usage:   "svd|qr|cp|tucker|tt IN.npy [--legs i,j,k] [--left i,k] [--rank R | --max-rank R] [--cutoff C] [-o OUTDIR]",
		Summary: "split a tensor into factors (SVD, QR, CP, Tucker, tensor train): .npy files, a .tn network and a report",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			var o decomposeOptions
			fs.StringVar(&o.legs, "legs", "", "name the input's legs, `i,j,k` (default: the axis numbers 0,1,2,…)")
			fs.StringVar(&o.left, "left", "", "svd, qr: the legs of the left factor, `i,k` (default: the first leg)")
			fs.IntVar(&o.rank, "rank", 0, "cp: the CP rank; svd, tt: keep at most `R` singular values per bond; tucker: rank R on every mode")
			fs.IntVar(&o.maxRank, "max-rank", 0, "keep at most `R` singular values per bond or mode (cp: the CP rank)")
			fs.Float64Var(&o.cutoff, "cutoff", 0, "svd, tucker, tt: allow a squared relative error ‖T − T̂‖²/‖T‖² up to `C`")
			fs.StringVar(&o.method, "method", "hooi", "tucker: `METHOD` = hooi (higher-order orthogonal iteration) or hosvd")
			fs.StringVar(&o.init, "init", "svd", "cp: how to start, `INIT` = svd (leading singular vectors) or random")
			fs.Uint64Var(&o.seed, "seed", 0, "cp: seed of random initial factors")
			fs.IntVar(&o.maxIter, "max-iter", 0, "cp, tucker (hooi): most sweeps (0: the library default)")
			fs.StringVar(&o.out, "o", "", "write the factors, network.tn and report.json to `OUTDIR`")
			return func(env *Env, args []string) error {
				if len(args) != 2 {
					return usagef("decompose needs a method (svd, qr, cp, tucker or tt) and one input file")
				}
				o.kind, o.input = args[0], args[1]
				return runDecompose(env, o)
			}
		},
	})
}

type decomposeOptions struct {
	kind, input, out    string
	legs, left          string
	rank, maxRank       int
	cutoff              float64
	method, init        string
	seed                uint64
	maxIter             int
	legNames, leftNames []string
}

// factor is one tensor of the resulting network.
type factor struct {
	Name  string   `json:"name"`
	File  string   `json:"file,omitempty"`
	Legs  []string `json:"legs"`
	Shape []int    `json:"shape"`
	Kind  string   `json:"kind"` // general, isometry (toward Tip) or vector
	Tip   []string `json:"tip,omitempty"`
	data  *tensor.Dense[float64]
}

// decomposeReport is printed and saved as report.json.
type decomposeReport struct {
	Method          string    `json:"method"`
	Input           string    `json:"input"`
	Shape           []int     `json:"shape"`
	Legs            []string  `json:"legs"`
	Left            []string  `json:"left,omitempty"`
	Ranks           []int     `json:"ranks"`
	FullRanks       []int     `json:"full_ranks,omitempty"`
	SingularValues  []float64 `json:"singular_values,omitempty"` // all, kept and dropped
	Weights         []float64 `json:"weights,omitempty"`
	DiscardedWeight *float64  `json:"discarded_weight,omitempty"`
	RelativeError   float64   `json:"relative_error"`
	ErrorBound      *float64  `json:"error_bound,omitempty"`
	Iterations      *int      `json:"iterations,omitempty"`
	Converged       *bool     `json:"converged,omitempty"`
	Factors         []factor  `json:"factors"`
	Network         string    `json:"network"`
	Seconds         float64   `json:"seconds"`
}

func runDecompose(env *Env, o decomposeOptions) error {
	if !slices.Contains([]string{"svd", "qr", "cp", "tucker", "tt"}, o.kind) {
		return usagef("unknown decomposition %q (want svd, qr, cp, tucker or tt)", o.kind)
	}
	if err := o.checkFlags(); err != nil {
		return err
	}
	x, err := tensorio.ReadFile[float64](o.input, tensorio.Options{})
	if err != nil {
		return err
	}
	if err := o.nameLegs(x); err != nil {
		return err
	}
	start := time.Now()
	rep := &decomposeReport{Method: o.kind, Input: o.input, Shape: x.Shape(), Legs: o.legNames}
	switch o.kind {
	case "svd", "qr":
		err = decomposeSplit(x, o, rep)
	case "cp":
		err = decomposeCP(x, o, rep)
	case "tucker":
		err = decomposeTucker(x, o, rep)
	case "tt":
		err = decomposeTT(x, o, rep)
	}
	if err != nil {
		return err
	}
	rep.Seconds = time.Since(start).Seconds()
	// Measure the error on the rebuilt network: it also checks that the
	// factors and their leg names are consistent with the network text.
	if rep.RelativeError, err = rebuildError(x, o.legNames, rep.Factors); err != nil {
		return err
	}
	rep.Network = networkText(o, rep)
	if o.out != "" {
		if err := writeDecomposition(o.out, rep); err != nil {
			return err
		}
	}
	printDecomposeReport(env.Stdout, rep, o.out)
	return nil
}

// checkFlags rejects flags that the chosen decomposition does not use.
func (o *decomposeOptions) checkFlags() error {
	switch {
	case o.rank < 0 || o.maxRank < 0:
		return usagef("--rank and --max-rank must be positive")
	case o.rank > 0 && o.maxRank > 0 && o.rank != o.maxRank:
		return usagef("--rank %d and --max-rank %d disagree; give one", o.rank, o.maxRank)
	case !(o.cutoff >= 0 && o.cutoff < 1):
		return usagef("--cutoff %g must be in [0, 1)", o.cutoff)
	case o.left != "" && o.kind != "svd" && o.kind != "qr":
		return usagef("--left applies to svd and qr only")
	case o.kind == "qr" && (o.rank > 0 || o.maxRank > 0 || o.cutoff > 0):
		return usagef("qr keeps every column; it takes no --rank, --max-rank or --cutoff")
	case o.kind == "cp" && o.cutoff > 0:
		return usagef("cp fits a given rank; give --rank, not --cutoff")
	case o.kind == "cp" && o.rank == 0 && o.maxRank == 0:
		return usagef("cp needs --rank R")
	case o.method != "hooi" && o.method != "hosvd":
		return usagef("--method %q: want hooi or hosvd", o.method)
	case o.init != "svd" && o.init != "random":
		return usagef("--init %q: want svd or random", o.init)
	case o.maxIter < 0:
		return usagef("--max-iter must be positive")
	}
	if o.maxRank == 0 {
		o.maxRank = o.rank
	}
	return nil
}

// nameLegs parses --legs and --left against the input's rank.
func (o *decomposeOptions) nameLegs(x *tensor.Dense[float64]) error {
	if x.Rank() == 0 {
		return fmt.Errorf("%s holds a scalar; there is nothing to decompose", o.input)
	}
	if o.legs == "" {
		for a := range x.Rank() {
			o.legNames = append(o.legNames, fmt.Sprint(a))
		}
	} else {
		o.legNames = splitList(o.legs)
		if len(o.legNames) != x.Rank() {
			return usagef("--legs names %d legs, but %s has %d axes (shape %v)", len(o.legNames), o.input, x.Rank(), x.Shape())
		}
	}
	for i, l := range o.legNames {
		if slices.Contains(o.legNames[:i], l) {
			return usagef("leg %q named twice in --legs", l)
		}
	}
	if o.kind == "svd" || o.kind == "qr" {
		o.leftNames = o.legNames[:1]
		if o.left != "" {
			o.leftNames = splitList(o.left)
		}
		for _, l := range o.leftNames {
			if !slices.Contains(o.legNames, l) {
				return usagef("--left names %q, which is not a leg of the input (legs %s)", l, strings.Join(o.legNames, ","))
			}
		}
	}
	return nil
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

// bondNamer hands out leg names for new bonds that clash with no input leg:
// a, b, c, … (r first for a CP rank).
type bondNamer struct{ used []string }

func (b *bondNamer) next(prefer ...string) string {
	for _, p := range prefer {
		if !slices.Contains(b.used, p) {
			b.used = append(b.used, p)
			return p
		}
	}
	for i := 0; ; i++ {
		for c := 'a'; c <= 'z'; c++ {
			name := string(c)
			if i > 0 {
				name += fmt.Sprint(i)
			}
			if !slices.Contains(b.used, name) {
				b.used = append(b.used, name)
				return name
			}
		}
	}
}

func decomposeSplit(x *tensor.Dense[float64], o decomposeOptions, rep *decomposeReport) error {
	lx, err := contract.Label(x, o.legNames...)
	if err != nil {
		return err
	}
	bonds := &bondNamer{used: slices.Clone(o.legNames)}
	bond := bonds.next()
	rep.Left = o.leftNames
	if o.kind == "qr" {
		s, err := decomp.QR(lx, o.leftNames, bond)
		if err != nil {
			return err
		}
		rep.Ranks = []int{s.Q.Dim(bond)}
		rep.Factors = []factor{
			isometry("Q", s.Q, []string{bond}),
			general("R", s.R),
		}
		return nil
	}
	s, err := decomp.SVD(lx, o.leftNames, decomp.SplitOptions{
		Truncation: decomp.Truncation{MaxRank: o.maxRank, RelDiscardedWeight: o.cutoff},
		Bond:       bond,
	})
	if err != nil {
		return err
	}
	rep.Ranks, rep.FullRanks = []int{s.Rank}, []int{s.FullRank}
	rep.SingularValues = s.Spectrum
	rep.DiscardedWeight = &s.Discarded
	rep.Factors = []factor{
		isometry("U", s.U, []string{bond}),
		{Name: "S", Legs: s.S.Legs, Shape: s.S.Data.Shape(), Kind: "vector", data: s.S.Data},
		isometry("V", s.Vh, []string{bond}),
	}
	return nil
}

func decomposeCP(x *tensor.Dense[float64], o decomposeOptions, rep *decomposeReport) error {
	init := decomp.CPInitSVD
	if o.init == "random" {
		init = decomp.CPInitRandom
	}
	cp, info, err := decomp.CPALS(x, decomp.CPOptions{Rank: o.maxRank, MaxIter: o.maxIter, Init: init, Seed: o.seed})
	if err != nil {
		return err
	}
	bonds := &bondNamer{used: slices.Clone(o.legNames)}
	r := bonds.next("r", "s")
	rep.Ranks = []int{o.maxRank}
	rep.Weights = cp.Weights
	rep.Iterations, rep.Converged = &info.Iterations, &info.Converged
	names := factorNames(len(cp.Factors), "w")
	w := tensor.MustFromSlice(cp.Weights, len(cp.Weights))
	rep.Factors = []factor{{Name: "w", Legs: []string{r}, Shape: w.Shape(), Kind: "vector", data: w}}
	for n, a := range cp.Factors {
		rep.Factors = append(rep.Factors, factor{Name: names[n], Legs: []string{o.legNames[n], r}, Shape: a.Shape(), Kind: "general", data: a})
	}
	return nil
}

func decomposeTucker(x *tensor.Dense[float64], o decomposeOptions, rep *decomposeReport) error {
	opts := decomp.TuckerOptions{MaxIter: o.maxIter, Truncation: decomp.Truncation{MaxRank: o.maxRank}}
	if o.cutoff > 0 {
		// Per mode c/N, so that the HOSVD bound (the sum over modes) is c.
		opts.Truncation.RelDiscardedWeight = o.cutoff / float64(x.Rank())
	}
	run := decomp.HOOI
	if o.method == "hosvd" {
		run = decomp.HOSVD
	}
	tk, info, err := run(x, opts)
	if err != nil {
		return err
	}
	rep.Ranks = info.Ranks
	rep.ErrorBound = &info.Bound
	discarded := 0.0
	for _, d := range info.Discarded {
		discarded += d
	}
	rep.DiscardedWeight = &discarded
	if o.method == "hooi" {
		rep.Iterations = &info.Iterations
	}
	bonds := &bondNamer{used: slices.Clone(o.legNames)}
	coreLegs := make([]string, x.Rank())
	for n := range coreLegs {
		coreLegs[n] = bonds.next()
	}
	names := factorNames(x.Rank(), "G")
	rep.Factors = []factor{{Name: "G", Legs: coreLegs, Shape: tk.Core.Shape(), Kind: "general", data: tk.Core}}
	for n, u := range tk.Factors {
		f := factor{Name: names[n], Legs: []string{o.legNames[n], coreLegs[n]}, Shape: u.Shape(), Kind: "isometry", Tip: []string{coreLegs[n]}, data: u}
		rep.Factors = append(rep.Factors, f)
	}
	return nil
}

func decomposeTT(x *tensor.Dense[float64], o decomposeOptions, rep *decomposeReport) error {
	tt, info, err := decomp.TTSVD(x, decomp.TTOptions{
		Eps:        math.Sqrt(o.cutoff),
		Truncation: decomp.Truncation{MaxRank: o.maxRank},
	})
	if err != nil {
		return err
	}
	rep.Ranks = info.Ranks
	rep.ErrorBound = &info.ErrorBound
	discarded := 0.0
	for _, b := range info.Bonds {
		discarded += b.Discarded
		rep.FullRanks = append(rep.FullRanks, b.FullRank)
	}
	rep.DiscardedWeight = &discarded
	bonds := &bondNamer{used: slices.Clone(o.legNames)}
	names := factorNames(tt.Len())
	var left string
	for k, s := range tt.Sites {
		// The boundary bonds of dimension 1 are dropped: A[i a] B[a j b] ….
		f := factor{Name: names[k], Kind: "general"}
		shape := []int{}
		if k > 0 {
			f.Legs = append(f.Legs, left)
			shape = append(shape, s.Dim(0))
		}
		f.Legs = append(f.Legs, o.legNames[k])
		shape = append(shape, s.Dim(1))
		if k < tt.Len()-1 {
			left = bonds.next()
			f.Legs = append(f.Legs, left)
			shape = append(shape, s.Dim(2))
			// Sites before the centre (the last site) are isometries
			// pointing right.
			f.Kind, f.Tip = "isometry", []string{left}
		}
		f.Shape, f.data = shape, s.MustReshape(shape...)
		rep.Factors = append(rep.Factors, f)
	}
	return nil
}

func isometry(name string, x decomp.Labeled, tip []string) factor {
	return factor{Name: name, Legs: x.Legs, Shape: x.Data.Shape(), Kind: "isometry", Tip: tip, data: x.Data}
}

func general(name string, x decomp.Labeled) factor {
	return factor{Name: name, Legs: x.Legs, Shape: x.Data.Shape(), Kind: "general", data: x.Data}
}

// factorNames returns n tensor names A, B, C, … skipping T (the input) and
// the names in skip, then A1, B1, … when letters run out.
func factorNames(n int, skip ...string) []string {
	var out []string
	for i := 0; len(out) < n; i++ {
		for c := 'A'; c <= 'Z' && len(out) < n; c++ {
			name := string(c)
			if i > 0 {
				name += fmt.Sprint(i)
			}
			if name != "T" && !slices.Contains(skip, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

// rebuildError contracts the factors by leg name and returns ‖T − T̂‖/‖T‖.
func rebuildError(x *tensor.Dense[float64], legs []string, factors []factor) (float64, error) {
	ls := make([]contract.Labeled[float64], len(factors))
	for i, f := range factors {
		l, err := contract.Label(f.data, f.Legs...)
		if err != nil {
			return 0, err
		}
		ls[i] = l
	}
	y, err := contract.Contract(ls...)
	if err != nil {
		return 0, err
	}
	if y, err = y.Transpose(legs...); err != nil {
		return 0, err
	}
	norm := x.Norm()
	if norm == 0 {
		return y.Data.Norm(), nil
	}
	return tensor.Sub(x, y.Data).Norm() / norm, nil
}

// tnName renders a leg name for strand's index notation, where names are
// letters, digits and _ not starting with a digit: axis numbers become i0, i1, ….
func tnName(s string) string {
	ok := s != ""
	for i, r := range s {
		if !(unicode.IsLetter(r) || r == '_' || (i > 0 && unicode.IsDigit(r))) {
			ok = false
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.WriteString("i")
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	return b.String()
}

func tnLegs(legs []string) string {
	out := make([]string, len(legs))
	for i, l := range legs {
		out[i] = tnName(l)
	}
	return strings.Join(out, " ")
}

// networkText writes the factor network in strand's index notation:
//
//	dim i=2 j=3 k=4 a=3
//	U: isometry(i k -> a)
//	T[i j k] = U[i k a] S[a] V[a j]
func networkText(o decomposeOptions, rep *decomposeReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# strand decompose %s %s\n", rep.Method, filepath.Base(rep.Input))
	if o.legs == "" {
		fmt.Fprintf(&b, "# legs %s are the axes %s of the input\n", tnLegs(rep.Legs), strings.Join(rep.Legs, " "))
	}
	dims := map[string]int{}
	var order []string
	add := func(legs []string, shape []int) {
		for i, l := range legs {
			if _, ok := dims[l]; !ok {
				dims[l] = shape[i]
				order = append(order, l)
			}
		}
	}
	add(rep.Legs, rep.Shape)
	for _, f := range rep.Factors {
		add(f.Legs, f.Shape)
	}
	b.WriteString("dim")
	for _, l := range order {
		fmt.Fprintf(&b, " %s=%d", tnName(l), dims[l])
	}
	b.WriteString("\n")
	for _, f := range rep.Factors {
		if f.Kind != "isometry" {
			continue
		}
		var in []string
		for _, l := range f.Legs {
			if !slices.Contains(f.Tip, l) {
				in = append(in, l)
			}
		}
		fmt.Fprintf(&b, "%s[%s]: isometry(%s -> %s)\n", f.Name, tnLegs(f.Legs), tnLegs(in), tnLegs(f.Tip))
	}
	fmt.Fprintf(&b, "T[%s] =", tnLegs(rep.Legs))
	for _, f := range rep.Factors {
		fmt.Fprintf(&b, " %s[%s]", f.Name, tnLegs(f.Legs))
	}
	b.WriteString("\n")
	return b.String()
}

func writeDecomposition(dir string, rep *decomposeReport) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range rep.Factors {
		f := &rep.Factors[i]
		f.File = f.Name + ".npy"
		if err := tensorio.WriteFile(filepath.Join(dir, f.File), f.data, tensorio.Options{}); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "network.tn"), []byte(rep.Network), 0o644); err != nil {
		return err
	}
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "report.json"), append(js, '\n'), 0o644)
}

func printDecomposeReport(w io.Writer, rep *decomposeReport, out string) {
	shape := make([]string, len(rep.Legs))
	for i, l := range rep.Legs {
		shape[i] = fmt.Sprintf("%s=%d", l, rep.Shape[i])
	}
	fmt.Fprintf(w, "%s of %s [%s]", rep.Method, rep.Input, strings.Join(shape, " "))
	if rep.Left != nil {
		fmt.Fprintf(w, ", left legs (%s)", strings.Join(rep.Left, " "))
	}
	fmt.Fprintln(w)
	switch {
	case rep.FullRanks != nil:
		fmt.Fprintf(w, "ranks %v of %v\n", rep.Ranks, rep.FullRanks)
	default:
		fmt.Fprintf(w, "ranks %v\n", rep.Ranks)
	}
	if rep.SingularValues != nil {
		r := rep.Ranks[0]
		fmt.Fprintf(w, "singular values %s", formatFloats(rep.SingularValues[:r], 8))
		if r < len(rep.SingularValues) {
			fmt.Fprintf(w, " | dropped %s", formatFloats(rep.SingularValues[r:], 4))
		}
		fmt.Fprintln(w)
	}
	if rep.Weights != nil {
		fmt.Fprintf(w, "weights %s\n", formatFloats(rep.Weights, 8))
	}
	fmt.Fprintf(w, "relative error %.3g", rep.RelativeError)
	if rep.DiscardedWeight != nil {
		fmt.Fprintf(w, ", discarded weight %.3g", *rep.DiscardedWeight)
	}
	if rep.ErrorBound != nil {
		fmt.Fprintf(w, ", bound %.3g", *rep.ErrorBound)
	}
	if rep.Iterations != nil {
		fmt.Fprintf(w, ", %d sweeps", *rep.Iterations)
		if rep.Converged != nil && !*rep.Converged {
			fmt.Fprint(w, " (not converged)")
		}
	}
	fmt.Fprintf(w, " (%.3gs)\n", rep.Seconds)
	fmt.Fprint(w, strings.TrimLeft(rep.Network[strings.Index(rep.Network, "\ndim")+1:], "\n"))
	if out != "" {
		files := []string{}
		for _, f := range rep.Factors {
			files = append(files, f.File)
		}
		fmt.Fprintf(w, "wrote %s: %s network.tn report.json\n", out, strings.Join(files, " "))
	}
}

func formatFloats(v []float64, most int) string {
	parts := []string{}
	for i, x := range v {
		if i == most {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(v)))
			break
		}
		parts = append(parts, fmt.Sprintf("%.4g", x))
	}
	return strings.Join(parts, " ")
}
