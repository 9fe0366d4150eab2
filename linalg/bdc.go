package linalg

import (
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
)

// leafSize is the largest bidiagonal block solved directly (LAPACK's SMLSIZ).
const leafSize = 24

var errNoConvergence = errors.New("linalg: the SVD iteration did not converge")

// bdSVD is the SVD of an n×m upper bidiagonal matrix B (m = n or n+1):
// B = U diag(s) V[:, :n]ᵀ with U n×n and V m×m orthogonal, row-major, column c
// of U and V belonging to s[c]; when m = n+1, column n of V spans B's null
// space. The order of s is not specified.
type bdSVD struct {
	s    []float64
	u, v []float64
}

// bidiagSVD returns the SVD of the n×n upper bidiagonal matrix with diagonal d
// and superdiagonal e, singular values in decreasing order.
func bidiagSVD(d, e []float64) (bdSVD, error) {
	n := len(d)
	scale := 0.0
	for _, x := range d {
		scale = max(scale, math.Abs(x))
	}
	for _, x := range e {
		scale = max(scale, math.Abs(x))
	}
	if scale == 0 {
		return bdSVD{s: make([]float64, n), u: identity(n), v: identity(n)}, nil
	}
	// Scale to max 1 so that squares neither overflow nor underflow.
	ds, es := make([]float64, n), make([]float64, len(e))
	for i, x := range d {
		ds[i] = x / scale
	}
	for i, x := range e {
		es[i] = x / scale
	}
	r, err := bdc(ds, es, 0, 64*eps)
	if err != nil {
		return bdSVD{}, err
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case r.s[a] > r.s[b]:
			return -1
		case r.s[a] < r.s[b]:
			return 1
		}
		return 0
	})
	out := bdSVD{s: make([]float64, n), u: make([]float64, n*n), v: make([]float64, n*n)}
	for c, src := range order {
		out.s[c] = r.s[src] * scale
		for i := range n {
			out.u[i*n+c] = r.u[i*n+src]
			out.v[i*n+c] = r.v[i*n+src]
		}
	}
	return out, nil
}

func identity(n int) []float64 {
	a := make([]float64, n*n)
	for i := range n {
		a[i*n+i] = 1
	}
	return a
}

// bdc computes the SVD of the n×(n+sqre) upper bidiagonal matrix B with
// diagonal d and superdiagonal e (len(e) = n−1+sqre) by divide and conquer
// (Gu & Eisenstat 1995). tol is the deflation tolerance, 64ε·‖B‖ for the
// whole matrix: perturbations of that size keep the result backward stable,
// and a tolerance relative to a small or zero sub-block would not protect
// the secular equation from underflow. Row k = n/2 splits B into
//
//	    ⎡ B₁   0  ⎤   B₁: k×(k+1), rows 0..k−1
//	B = ⎢ α eₖᵀ + β eₖ₊₁ᵀ ⎥
//	    ⎣ 0    B₂ ⎦   B₂: the rows after k, with the remaining columns
//
// and with Bᵢ = Uᵢ Σᵢ Vᵢᵀ solved recursively, B = diag(U₁, 1, U₂) M diag(V₁, V₂)ᵀ
// where M is zero except for the diagonal Σ₁, Σ₂ and the middle row
// z = (α·(last row of V₁), β·(first row of V₂)). merge finishes the job.
func bdc(d, e []float64, sqre int, tol float64) (bdSVD, error) {
	n := len(d)
	if n <= leafSize {
		return bdLeaf(d, e, sqre)
	}
	k := n / 2
	r1, err := bdc(d[:k], e[:k], 1, tol)
	if err != nil {
		return bdSVD{}, err
	}
	r2, err := bdc(d[k+1:], e[k+1:], sqre, tol)
	if err != nil {
		return bdSVD{}, err
	}
	return merge(k, d[k], e[k], r1, r2, sqre, tol), nil
}

// bdLeaf solves a small bidiagonal block with gonum's Dgesvd (QR iteration).
func bdLeaf(d, e []float64, sqre int) (bdSVD, error) {
	n := len(d)
	m := n + sqre
	a := make([]float64, n*m)
	for i := range n {
		a[i*m+i] = d[i]
		if i+1 < m {
			a[i*m+i+1] = e[i]
		}
	}
	s := make([]float64, n)
	u := make([]float64, n*n)
	vt := make([]float64, m*m)
	work := workspace(func(w []float64, l int) {
		lapackImpl.Dgesvd(lapack.SVDAll, lapack.SVDAll, n, m, a, m, s, u, n, vt, m, w, l)
	})
	if !lapackImpl.Dgesvd(lapack.SVDAll, lapack.SVDAll, n, m, a, m, s, u, n, vt, m, work, len(work)) {
		return bdSVD{}, errNoConvergence
	}
	return bdSVD{s: s, u: u, v: transpose(vt, m, m)}, nil
}

// Row regions of the merged vectors, as bit flags: which block rows a column
// of the (rotated) child-vector matrices may touch.
const (
	top    = 1 // U₁ rows (or V₁ rows)
	middle = 2 // the splitting row of U
	bottom = 4 // U₂ rows (or V₂ rows)
)

// merge combines the SVDs r1 of B₁ (k×(k+1)) and r2 of B₂ with the middle
// row (α, β) into the SVD of B (see bdc).
//
// In the basis of "slots" — slot 0 pairs the middle row with V₁'s null
// vector (rotated together with V₂'s when B₂ has one, which leaves a zero
// column: B's own null vector), slot 1+i pairs the i-th singular triple of
// B₁, slot 1+k+i that of B₂ — M is the matrix of [secular]: first row z and
// diagonal d with d₀ = 0. Deflation first removes slots that need no
// secular root (Gu & Eisenstat 1995, §4; LAPACK dlasd2):
//   - |zⱼ| ≤ tol: σ = dⱼ with the slot's own vectors;
//   - dⱼ ≤ tol: dⱼ is set to 0 and zⱼ rotated into z₀ (right side only);
//   - dⱼ − dᵢ ≤ tol for neighbours: a rotation of both sides zeroes zᵢ,
//     and σ = dᵢ;
//
// each changes B by at most tol (see bdc), and z₀ is raised to tol when
// smaller so that d₀ = 0 keeps its root. The remaining K
// slots go to [secularVectors]; their vectors are the slot vectors times the
// K×K secular vectors, computed per block of rows by GEMM so that the zero
// blocks of diag(U₁, 1, U₂) are skipped.
func merge(k int, alpha, beta float64, r1, r2 bdSVD, sqre int, tol float64) bdSVD {
	n1, m1 := k, k+1
	n2 := len(r2.s)
	m2 := n2 + sqre
	n := n1 + 1 + n2
	m := n + sqre

	d := make([]float64, n)
	z := make([]float64, n)
	us := make([]float64, n*n) // n×n, column j = slot j's left vector
	vs := make([]float64, m*n) // m×n, column j = slot j's right vector
	uf := make([]uint8, n)
	vf := make([]uint8, n)

	us[k*n] = 1
	uf[0] = middle
	z0 := alpha * r1.v[k*m1+k]
	for r := range m1 {
		vs[r*n] = r1.v[r*m1+k]
	}
	vf[0] = top
	var vnull []float64
	if sqre == 1 {
		z1 := beta * r2.v[n2]
		c, s := 1.0, 0.0
		if h := math.Hypot(z0, z1); h != 0 {
			c, s = z0/h, z1/h
			z0 = h
		}
		vnull = make([]float64, m)
		for r := range m1 {
			x := r1.v[r*m1+k]
			vs[r*n], vnull[r] = c*x, -s*x
		}
		for r := range m2 {
			y := r2.v[r*m2+n2]
			vs[(m1+r)*n], vnull[m1+r] = s*y, c*y
		}
		vf[0] = top | bottom
	}
	z[0] = z0
	for i := range n1 {
		j := 1 + i
		d[j], z[j] = r1.s[i], alpha*r1.v[k*m1+i]
		for r := range n1 {
			us[r*n+j] = r1.u[r*n1+i]
		}
		for r := range m1 {
			vs[r*n+j] = r1.v[r*m1+i]
		}
		uf[j], vf[j] = top, top
	}
	for i := range n2 {
		j := 1 + n1 + i
		d[j], z[j] = r2.s[i], beta*r2.v[i]
		for r := range n2 {
			us[(k+1+r)*n+j] = r2.u[r*n2+i]
		}
		for r := range m2 {
			vs[(m1+r)*n+j] = r2.v[r*m2+i]
		}
		uf[j], vf[j] = bottom, bottom
	}

	// Deflation.
	order := make([]int, n-1)
	for i := range order {
		order[i] = i + 1
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case d[a] < d[b]:
			return -1
		case d[a] > d[b]:
			return 1
		}
		return 0
	})
	bi := blas64.Implementation()
	keep := []int{0}
	var defl []int
	for _, j := range order {
		if math.Abs(z[j]) <= tol {
			defl = append(defl, j)
			continue
		}
		if d[j] <= tol {
			h := math.Hypot(z[0], z[j])
			c, s := z[0]/h, z[j]/h
			// new₀ = c·col₀ + s·colⱼ, newⱼ = −s·col₀ + c·colⱼ.
			bi.Drot(m, vs[0:], n, vs[j:], n, c, s)
			z[0], z[j], d[j] = h, 0, 0
			vf[0] |= vf[j]
			vf[j] = vf[0]
			defl = append(defl, j)
			continue
		}
		last := keep[len(keep)-1]
		if last != 0 && d[j]-d[last] <= tol {
			h := math.Hypot(z[last], z[j])
			c, s := z[j]/h, z[last]/h
			// new_last = c·col_last − s·colⱼ (z = 0), newⱼ = s·col_last + c·colⱼ (z = h).
			bi.Drot(n, us[last:], n, us[j:], n, c, -s)
			bi.Drot(m, vs[last:], n, vs[j:], n, c, -s)
			z[last], z[j] = 0, h
			uf[last] |= uf[j]
			uf[j] = uf[last]
			vf[last] |= vf[j]
			vf[j] = vf[last]
			keep[len(keep)-1] = j
			defl = append(defl, last)
			continue
		}
		keep = append(keep, j)
	}
	if math.Abs(z[0]) <= tol {
		z[0] = tol
	}

	K := len(keep)
	dk, zk := make([]float64, K), make([]float64, K)
	for p, j := range keep {
		dk[p], zk[p] = d[j], z[j]
	}
	sigma, uh, vh := secularVectors(dk, zk)

	out := bdSVD{s: make([]float64, n), u: make([]float64, n*n), v: make([]float64, m*m)}
	copy(out.s, sigma)
	regionProduct(out.u, n, us, n, 0, k, top, uf, keep, uh)
	regionProduct(out.u, n, us, n, k, k+1, middle, uf, keep, uh)
	regionProduct(out.u, n, us, n, k+1, n, bottom, uf, keep, uh)
	regionProduct(out.v, m, vs, n, 0, m1, top, vf, keep, vh)
	regionProduct(out.v, m, vs, n, m1, m, bottom, vf, keep, vh)
	for t, j := range defl {
		c := K + t
		out.s[c] = d[j]
		for r := range n {
			out.u[r*n+c] = us[r*n+j]
		}
		for r := range m {
			out.v[r*m+c] = vs[r*n+j]
		}
	}
	for r := range vnull {
		out.v[r*m+n] = vnull[r]
	}
	return out
}

// regionProduct sets rows [lo, hi) of dst's first K columns to
// src[lo:hi, cols] · hat, using only the columns whose flags include bit (the
// others are zero on these rows). hat is K×K with row p belonging to cols[p].
func regionProduct(dst []float64, ldd int, src []float64, lds, lo, hi int, bit uint8, flags []uint8, cols []int, hat []float64) {
	K := len(cols)
	var sel []int
	for p, j := range cols {
		if flags[j]&bit != 0 {
			sel = append(sel, p)
		}
	}
	rows := hi - lo
	if rows == 0 || len(sel) == 0 {
		return
	}
	c := len(sel)
	a := make([]float64, rows*c)
	for r := range rows {
		for q, p := range sel {
			a[r*c+q] = src[(lo+r)*lds+cols[p]]
		}
	}
	b := make([]float64, c*K)
	for q, p := range sel {
		copy(b[q*K:(q+1)*K], hat[p*K:(p+1)*K])
	}
	gemm(blas.NoTrans, blas.NoTrans, rows, K, c, a, c, b, K, dst[lo*ldd:], ldd)
}
