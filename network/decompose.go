package network

import (
	"slices"
	"strings"

	"github.com/strand-tn/strand/notation"
)

// decomposition resolves U[i a] S[a] V†[a k] = svd(M[i k]): the argument
// (RHS), the product of the factors (LHS, free legs in the argument's order)
// and the structure the decomposition needs. A new bond that no dim line or
// shape sizes takes the size of the exact decomposition:
//
//	svd, qr   min(Π left legs, Π right legs)
//	tucker    min(size of the mode, Π other modes), per mode
//	tt        min(Π legs before the bond, Π legs after it), per bond
//	cp        no default: the rank must be declared
func (sb *stmtBuilder) decomposition(st *Statement, s *notation.DecompStmt) error {
	st.Kind, st.Func = Decompose, s.Call.Func
	var err error
	if st.RHS, err = sb.expr(s.Call.Args[0], nil, nil); err != nil {
		return err
	}
	factors := make([]notation.Expr, len(s.Factors))
	for i, f := range s.Factors {
		factors[i] = f
		for _, a := range f.Legs {
			if a.Kind != notation.AxisName {
				return errorf(a.Pos, "the factors of a decomposition take plain legs, not %s", notation.Format(f))
			}
		}
	}
	first, _ := s.Factors[0].Span()
	_, last := s.Factors[len(s.Factors)-1].Span()
	if st.LHS, err = sb.expr(&notation.Product{Pos: first, End: last, Factors: factors}, nil, nil); err != nil {
		return err
	}
	if !sameSet(st.LHS.Output, st.RHS.Output) {
		return errorf(first, "the factors' free legs [%s] differ from those of the argument of %s, [%s]",
			strings.Join(st.LHS.Output, " "), st.Func, strings.Join(st.RHS.Output, " "))
	}
	net := st.LHS.Terms[0].Net
	net.Output, net.OutputGroups = st.RHS.Output, st.RHS.OutputGroups
	st.LHS.Output, st.LHS.OutputGroups = st.RHS.Output, st.RHS.OutputGroups
	st.Factors = net.Nodes
	d := decompShape{free: st.RHS.Output}
	for _, n := range st.Factors {
		var legs []string
		for _, leg := range n.Legs {
			legs = append(legs, leg.Labels...)
		}
		d.legs = append(d.legs, legs)
	}
	if _, err := sb.spread(); err != nil {
		return err
	}
	return sb.checkDecomposition(st, d)
}

// decompShape is the leg structure of a decomposition's factors.
type decompShape struct {
	free []string   // the argument's legs
	legs [][]string // each factor's legs, in order
}

// args and bonds split a factor's legs into legs of the argument and new bonds.
func (d decompShape) args(k int) []string  { return filter(d.legs[k], d.free, true) }
func (d decompShape) bonds(k int) []string { return filter(d.legs[k], d.free, false) }

func filter(legs, set []string, in bool) []string {
	var out []string
	for _, l := range legs {
		if slices.Contains(set, l) == in {
			out = append(out, l)
		}
	}
	return out
}

// checkDecomposition checks the factors against what the decomposition makes
// and gives unsized bonds their exact size.
func (sb *stmtBuilder) checkDecomposition(st *Statement, d decompShape) error {
	pos := st.Factors[0].Pos
	n := len(d.legs)
	fail := func(format string, args ...any) error {
		return errorf(pos, "%s: "+format, append([]any{st.Func}, args...)...)
	}
	switch st.Func {
	case "svd", "qr":
		want := map[string]int{"svd": 3, "qr": 2}[st.Func]
		if n != want {
			return fail("write %d factors, as in %s", want, map[string]string{
				"svd": "U[i a] S[a] V†[a k] = svd(M[i k])", "qr": "Q[i a] R[a k] = qr(M[i k])"}[st.Func])
		}
		bond := d.bonds(0)
		if len(bond) != 1 || !slices.Equal(d.bonds(n-1), bond) {
			return fail("the first and last factors must share one new bond")
		}
		if n == 3 && (!slices.Equal(d.legs[1], bond) || len(d.args(1)) > 0) {
			return fail("the middle factor holds the singular values: its one leg is the bond %s", bond[0])
		}
		sb.defaultSize(bond[0], min(sb.product(d.args(0)), sb.product(d.args(n-1))))
	case "cp":
		var bond []string
		for k := range n {
			b := d.bonds(k)
			if len(b) != 1 || (bond != nil && b[0] != bond[0]) {
				return fail("every factor carries the one rank leg, as in λ[s] A[i s] B[j s] C[k s] = cp(T[i j k])")
			}
			if a := d.args(k); len(a) > 1 || len(a) == 0 && len(d.legs[k]) != 1 {
				return fail("each factor carries one leg of the argument and the rank leg")
			}
			bond = b
		}
		if _, ok := sb.sizes[bond[0]]; !ok {
			return fail("declare the rank: dim %s=…", bond[0])
		}
	case "tucker":
		core := -1
		for k := range n {
			a, b := d.args(k), d.bonds(k)
			switch {
			case len(a) == 0 && core < 0:
				core = k
			case len(a) == 0:
				return fail("one factor, the core, has only new bonds")
			case len(a) != 1 || len(b) != 1:
				return fail("each factor but the core carries one leg of the argument and one bond to the core")
			}
		}
		if core < 0 || len(d.legs[core]) != n-1 {
			return fail("the core carries one bond to each other factor, as in G[a b c] U[i a] V[j b] W[k c] = tucker(T[i j k])")
		}
		for k := range n {
			if k == core {
				continue
			}
			mode := d.args(k)[0]
			if !slices.Contains(d.legs[core], d.bonds(k)[0]) {
				return fail("the bond %s of the factor of leg %s does not reach the core", d.bonds(k)[0], mode)
			}
			sb.defaultSize(d.bonds(k)[0], min(sb.product([]string{mode}), sb.product(filter(d.free, []string{mode}, false))))
		}
	case "tt":
		var before []string
		for k := range n {
			if len(d.args(k)) == 0 {
				return fail("every site carries a leg of the argument")
			}
			before = append(before, d.args(k)...)
			if k == n-1 {
				break
			}
			shared := filter(d.bonds(k), d.bonds(k+1), true)
			if len(shared) != 1 {
				return fail("neighbouring sites share one bond, as in A[i a] B[a j b] C[b k] = tt(T[i j k])")
			}
			sb.defaultSize(shared[0], min(sb.product(before), sb.product(filter(d.free, before, false))))
		}
		for k := range n {
			for _, b := range d.bonds(k) {
				if !(k > 0 && slices.Contains(d.bonds(k-1), b)) && !(k < n-1 && slices.Contains(d.bonds(k+1), b)) {
					return fail("the bond %s of site %d joins no neighbour", b, k+1)
				}
			}
		}
	}
	return nil
}

// product returns the product of the sizes of legs (0 if one is unknown).
func (sb *stmtBuilder) product(legs []string) int {
	p := 1
	for _, l := range legs {
		s, ok := sb.sizes[l]
		if !ok {
			return 0
		}
		p *= s
	}
	return p
}

// defaultSize sizes a bond nothing else sizes.
func (sb *stmtBuilder) defaultSize(l string, size int) {
	if _, ok := sb.sizes[l]; !ok && size > 0 {
		sb.sizes[l], sb.from[l] = size, "the exact decomposition"
	}
}
