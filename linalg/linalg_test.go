package linalg

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack"

	"github.com/strand-tn/strand/tensor"
)

// randomOrthonormal returns an m×k matrix with orthonormal columns.
func randomOrthonormal(t testing.TB, seed uint64, m, k int) *tensor.Dense[float64] {
	q, _, err := QR(tensor.RandNormal[float64](tensor.NewRand(seed), m, k))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// withSpectrum returns U diag(s) Vᵀ for random orthonormal U (m×k), V (n×k).
func withSpectrum(t testing.TB, seed uint64, m, n int, s []float64) *tensor.Dense[float64] {
	k := len(s)
	u := randomOrthonormal(t, seed, m, k).Data()
	v := randomOrthonormal(t, seed+1, n, k).Data()
	us := slices.Clone(u)
	for i := range m {
		for c := range k {
			us[i*k+c] *= s[c]
		}
	}
	a := make([]float64, m*n)
	gemm(blas.NoTrans, blas.Trans, m, n, k, us, k, v, k, a, n)
	return wrap(a, m, n)
}

// product returns U diag(s) Vᵀ keeping the first r triples.
func product(f SVDFactors, r int) *tensor.Dense[float64] {
	m, n, k := f.U.Dim(0), f.V.Dim(0), len(f.S)
	us := f.U.Clone().Data()
	for i := range m {
		for c := range k {
			if c < r {
				us[i*k+c] *= f.S[c]
			} else {
				us[i*k+c] = 0
			}
		}
	}
	a := make([]float64, m*n)
	gemm(blas.NoTrans, blas.Trans, m, n, k, us, k, f.V.Data(), k, a, n)
	return wrap(a, m, n)
}

// gonumSingularValues is the oracle: gonum's Dgesvd (QR iteration).
func gonumSingularValues(a *tensor.Dense[float64]) []float64 {
	m, n := a.Dim(0), a.Dim(1)
	data := a.Clone().Data()
	s := make([]float64, min(m, n))
	work := workspace(func(w []float64, l int) {
		lapackImpl.Dgesvd(lapack.SVDNone, lapack.SVDNone, m, n, data, n, s, nil, 1, nil, 1, w, l)
	})
	lapackImpl.Dgesvd(lapack.SVDNone, lapack.SVDNone, m, n, data, n, s, nil, 1, nil, 1, work, len(work))
	return s
}

// checkSVD asserts orthonormal factors (to orthTol), reconstruction to
// reconTol·‖A‖_F and decreasing non-negative singular values.
func checkSVD(t *testing.T, name string, a *tensor.Dense[float64], f SVDFactors, orthTol, reconTol float64) {
	t.Helper()
	k := min(a.Dim(0), a.Dim(1))
	if len(f.S) != k || f.U.Dim(1) != k || f.V.Dim(1) != k {
		t.Fatalf("%s: %d values, U %v, V %v for %v", name, len(f.S), f.U.Shape(), f.V.Shape(), a.Shape())
	}
	for c := range k {
		if !(f.S[c] >= 0) || (c > 0 && f.S[c] > f.S[c-1]) {
			t.Fatalf("%s: singular values not decreasing and non-negative: %v", name, f.S)
		}
	}
	du, _ := OrthoDefect(f.U)
	dv, _ := OrthoDefect(f.V)
	if !(du <= orthTol && dv <= orthTol) {
		t.Errorf("%s: ‖UᵀU−I‖max = %.3g, ‖VᵀV−I‖max = %.3g, want ≤ %g", name, du, dv, orthTol)
	}
	if e := tensor.Sub(product(f, k), a).Norm(); !(e <= reconTol*a.Norm()) {
		t.Errorf("%s: ‖A − UΣVᵀ‖F = %.3g, want ≤ %g·‖A‖F = %.3g", name, e, reconTol, reconTol*a.Norm())
	}
}

// Random matrices of many shapes: leaves only, one and several merges,
// square, tall and wide, near-square and far from square (QR/LQ first).
func TestSVDRandomShapes(t *testing.T) {
	shapes := [][2]int{{1, 1}, {1, 7}, {7, 1}, {2, 3}, {24, 24}, {25, 25}, {26, 26}, {49, 50}, {50, 49},
		{73, 40}, {40, 73}, {120, 120}, {200, 61}, {61, 200}, {150, 130}, {130, 150}}
	r := tensor.NewRand(1)
	for _, sh := range shapes {
		a := tensor.RandNormal[float64](r, sh[0], sh[1])
		f, err := SVD(a, SVDOptions{})
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%d×%d", sh[0], sh[1])
		checkSVD(t, name, a, f, 1e-13, 1e-14)
		ref := gonumSingularValues(a)
		for c := range ref {
			if d := math.Abs(ref[c] - f.S[c]); !(d <= 1e-13*ref[0]) {
				t.Errorf("%s: σ%d = %.17g, gonum %.17g", name, c, f.S[c], ref[c])
			}
		}
	}
}

// Eckart–Young–Mirsky: the rank-r truncation T_r of the SVD has
// ‖T − T_r‖_F = sqrt(Σ_{i>r} sᵢ²) and ‖T − T_r‖₂ = s_{r+1}, to 1e-12 relative.
func TestEckartYoung(t *testing.T) {
	const m, n = 90, 70
	s := make([]float64, n)
	for i := range s {
		s[i] = math.Pow(0.9, float64(i))
	}
	a := withSpectrum(t, 3, m, n, s)
	f, err := SVD(a, SVDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []int{1, 5, 20, 50, 69} {
		res := tensor.Sub(a, product(f, r))
		tail := 0.0
		for _, x := range f.S[r:] {
			tail += x * x
		}
		tail = math.Sqrt(tail)
		if got := res.Norm(); !(math.Abs(got-tail) <= 1e-12*tail) {
			t.Errorf("r=%d: ‖T−T_r‖F = %.17g, sqrt(Σ tail s²) = %.17g", r, got, tail)
		}
		if got := gonumSingularValues(res)[0]; !(math.Abs(got-f.S[r]) <= 1e-12*f.S[r]) {
			t.Errorf("r=%d: ‖T−T_r‖₂ = %.17g, s_{r+1} = %.17g", r, got, f.S[r])
		}
		if !(math.Abs(f.S[r]-s[r]) <= 1e-13) {
			t.Errorf("r=%d: s = %.17g, built with %.17g", r, f.S[r], s[r])
		}
	}
}

// Ill-conditioned and structured matrices: the SVD stays backward stable
// (orthonormal factors, residual ≈ ε‖A‖) and singular values keep an
// absolute accuracy ≈ ε‖A‖₂ even when they span 15 decades, repeat, or vanish.
func TestSVDIllConditioned(t *testing.T) {
	n := 160
	graded := make([]float64, n)
	for i := range graded {
		graded[i] = math.Pow(10, -15*float64(i)/float64(n-1))
	}
	clustered := make([]float64, n) // groups of equal values and exact zeros
	for i := range clustered {
		clustered[i] = float64(4 - i/40)
		if i >= 120 {
			clustered[i] = 0
		}
	}
	tiny := make([]float64, n) // one large value, the rest near ε
	for i := range tiny {
		tiny[i] = 1e-16 * float64(n-i)
	}
	tiny[0] = 1
	for _, c := range []struct {
		name string
		s    []float64
		m    int
	}{{"graded", graded, 200}, {"clustered", clustered, 170}, {"tiny", tiny, 400}} {
		a := withSpectrum(t, 7, c.m, n, c.s)
		f, err := SVD(a, SVDOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkSVD(t, c.name, a, f, 1e-13, 1e-13)
		for i, want := range c.s {
			if d := math.Abs(f.S[i] - want); !(d <= 1e-14*c.s[0]*float64(n)) {
				t.Errorf("%s: σ%d = %.6g, want %.6g (error %.3g)", c.name, i, f.S[i], want, d)
			}
		}
	}
	// Orthogonal, zero, rank-one and duplicated-column matrices.
	q := randomOrthonormal(t, 9, 120, 120)
	zero := tensor.Zeros[float64](60, 45)
	one := withSpectrum(t, 11, 80, 90, []float64{3})
	dup := tensor.Zeros[float64](100, 100)
	col := tensor.RandNormal[float64](tensor.NewRand(12), 100)
	for i := range 100 {
		for j := range 100 {
			dup.Set(col.At(i)*float64(j%3), i, j)
		}
	}
	for _, c := range []struct {
		name string
		a    *tensor.Dense[float64]
		s0   float64 // expected σ₀ (others: 1 for q, 0 otherwise)
	}{{"orthogonal", q, 1}, {"zero", zero, 0}, {"rank one", one, 3}, {"duplicated", dup, col.Norm() * math.Sqrt(33+4*33)}} {
		f, err := SVD(c.a, SVDOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkSVD(t, c.name, c.a, f, 1e-13, 1e-13)
		for i, x := range f.S {
			want := 0.0
			if i == 0 || c.name == "orthogonal" {
				want = c.s0
			}
			if !(math.Abs(x-want) <= 1e-13*max(c.s0, 1)) {
				t.Errorf("%s: σ%d = %.17g, want %g", c.name, i, x, want)
				break
			}
		}
	}
}

// Bidiagonal matrices with zeros and extreme values exercise deflation.
func TestBidiagonalSpecial(t *testing.T) {
	n := 100
	cases := map[string]func(i int) (d, e float64){
		"ones":       func(i int) (float64, float64) { return 1, 1 },
		"zero diag":  func(i int) (float64, float64) { return float64(i % 2), 1 },
		"zero super": func(i int) (float64, float64) { return float64(i + 1), float64(i % 3 / 2) },
		"graded":     func(i int) (float64, float64) { return math.Pow(2, -float64(i)/2), math.Pow(2, -float64(i)/2) },
		"huge":       func(i int) (float64, float64) { return 1e300 * float64(i%5), 1e-300 },
		"all zero":   func(i int) (float64, float64) { return 0, 0 },
		"equal":      func(i int) (float64, float64) { return 2, 0 },
	}
	for name, gen := range cases {
		d, e := make([]float64, n), make([]float64, n-1)
		for i := range n {
			d[i], _ = gen(i)
			if i < n-1 {
				_, e[i] = gen(i)
			}
		}
		r, err := bidiagSVD(d, e)
		if err != nil {
			t.Fatal(err)
		}
		scale := 0.0
		for i := range n {
			scale = max(scale, math.Abs(d[i]))
			if i < n-1 {
				scale = max(scale, math.Abs(e[i]))
			}
		}
		// Residual B V − U Σ, column by column, relative to max |entry|.
		worst := 0.0
		for c := range n {
			for i := range n {
				bv := d[i] * r.v[i*n+c]
				if i < n-1 {
					bv += e[i] * r.v[(i+1)*n+c]
				}
				worst = max(worst, math.Abs(bv-r.u[i*n+c]*r.s[c]))
			}
		}
		if !(worst <= 1e-13*scale*math.Sqrt(float64(n))) {
			t.Errorf("%s: ‖BV − UΣ‖max = %.3g (scale %.3g)", name, worst, scale)
		}
		du, _ := OrthoDefect(wrap(r.u, n, n))
		dv, _ := OrthoDefect(wrap(r.v, n, n))
		if !(du <= 1e-13 && dv <= 1e-13) {
			t.Errorf("%s: orthogonality %.3g %.3g", name, du, dv)
		}
	}
}

// The largest-magnitude component of each left singular vector is positive
// and results are bitwise reproducible.
func TestSVDSignConvention(t *testing.T) {
	a := tensor.RandNormal[float64](tensor.NewRand(5), 80, 60)
	f1, _ := SVD(a, SVDOptions{})
	f2, _ := SVD(a, SVDOptions{})
	if !slices.Equal(f1.U.Data(), f2.U.Data()) || !slices.Equal(f1.V.Data(), f2.V.Data()) {
		t.Fatal("SVD is not deterministic")
	}
	for c := range 60 {
		col := f1.U.Slice(1, c, c+1, 1).Data()
		at := 0
		for i, x := range col {
			if math.Abs(x) > math.Abs(col[at]) {
				at = i
			}
		}
		if col[at] < 0 {
			t.Fatalf("column %d: largest component %g is negative", c, col[at])
		}
	}
	// Vectors-only variants agree with the full result.
	left, _ := SVD(a, SVDOptions{Vectors: LeftVectors})
	right, _ := SVD(a, SVDOptions{Vectors: RightVectors})
	vals, _ := SVD(a, SVDOptions{Vectors: NoVectors})
	if left.V != nil || right.U != nil || vals.U != nil || vals.V != nil {
		t.Fatal("unrequested vectors returned")
	}
	if d := tensor.MaxAbsDiff(left.U, f1.U); !(d <= 1e-14) {
		t.Errorf("LeftVectors U differs by %g", d)
	}
	for c := range 60 {
		x := right.V.Slice(1, c, c+1, 1)
		y := f1.V.Slice(1, c, c+1, 1)
		if d := math.Min(tensor.Sub(x, y).Norm(), tensor.Add(x, y).Norm()); !(d <= 1e-13) {
			t.Errorf("RightVectors V column %d differs by %g", c, d)
		}
		if !(math.Abs(vals.S[c]-f1.S[c]) <= 1e-13) {
			t.Errorf("NoVectors σ%d = %g, want %g", c, vals.S[c], f1.S[c])
		}
	}
}

func TestQRAndLQ(t *testing.T) {
	r := tensor.NewRand(21)
	for _, sh := range [][2]int{{1, 1}, {50, 30}, {30, 50}, {64, 64}, {300, 20}} {
		a := tensor.RandNormal[float64](r, sh[0], sh[1])
		q, rr, err := QR(a)
		if err != nil {
			t.Fatal(err)
		}
		k := min(sh[0], sh[1])
		if d, _ := OrthoDefect(q); !(d <= 1e-13) {
			t.Errorf("%v: ‖QᵀQ − I‖max = %.3g, want ≤ 1e-13", sh, d)
		}
		qr := make([]float64, sh[0]*sh[1])
		gemm(blas.NoTrans, blas.NoTrans, sh[0], sh[1], k, q.Data(), k, rr.Data(), sh[1], qr, sh[1])
		if d := tensor.MaxAbsDiff(wrap(qr, sh[0], sh[1]), a); !(d <= 1e-13*a.MaxAbs()) {
			t.Errorf("%v: ‖QR − A‖max = %.3g", sh, d)
		}
		for i := range k {
			if rr.At(i, i) < 0 {
				t.Errorf("%v: R[%d,%d] = %g < 0", sh, i, i, rr.At(i, i))
			}
			for j := range i {
				if rr.At(i, j) != 0 {
					t.Fatalf("%v: R[%d,%d] = %g below the diagonal", sh, i, j, rr.At(i, j))
				}
			}
		}
		l, ql, err := LQ(a)
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := OrthoDefect(ql.T().Contiguous()); !(d <= 1e-13) {
			t.Errorf("%v: ‖QQᵀ − I‖max = %.3g", sh, d)
		}
		lq := make([]float64, sh[0]*sh[1])
		gemm(blas.NoTrans, blas.NoTrans, sh[0], sh[1], k, l.Data(), k, ql.Data(), sh[1], lq, sh[1])
		if d := tensor.MaxAbsDiff(wrap(lq, sh[0], sh[1]), a); !(d <= 1e-13*a.MaxAbs()) {
			t.Errorf("%v: ‖LQ − A‖max = %.3g", sh, d)
		}
		for i := range k {
			if l.At(i, i) < 0 {
				t.Errorf("%v: L[%d,%d] < 0", sh, i, i)
			}
		}
	}
}

func TestEighAndPolar(t *testing.T) {
	r := tensor.NewRand(31)
	b := tensor.RandNormal[float64](r, 40, 40)
	a := tensor.Add(b, b.T())
	w, v, err := Eigh(a)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(w) {
		t.Errorf("eigenvalues not increasing: %v", w)
	}
	if d, _ := OrthoDefect(v); !(d <= 1e-13) {
		t.Errorf("‖VᵀV − I‖max = %.3g", d)
	}
	av := make([]float64, 40*40)
	gemm(blas.NoTrans, blas.NoTrans, 40, 40, 40, a.Data(), 40, v.Data(), 40, av, 40)
	for i := range 40 {
		for c := range 40 {
			if d := math.Abs(av[i*40+c] - v.At(i, c)*w[c]); !(d <= 1e-12) {
				t.Fatalf("(AV − VΛ)[%d,%d] = %g", i, c, d)
			}
		}
	}
	if _, _, err := Eigh(b); err == nil || !strings.HasPrefix(err.Error(), "linalg: ") {
		t.Errorf("Eigh of a non-symmetric matrix: err = %v", err)
	}

	for _, sh := range [][2]int{{30, 20}, {20, 30}} {
		x := tensor.RandNormal[float64](r, sh[0], sh[1])
		u, p, err := Polar(x)
		if err != nil {
			t.Fatal(err)
		}
		uu := u
		if sh[0] < sh[1] {
			uu = u.T().Contiguous()
		}
		if d, _ := OrthoDefect(uu); !(d <= 1e-13) {
			t.Errorf("%v: polar factor not orthonormal: %.3g", sh, d)
		}
		if d := tensor.MaxAbsDiff(p, p.T()); !(d <= 1e-13) {
			t.Errorf("%v: P not symmetric: %.3g", sh, d)
		}
		pw, _, _ := Eigh(p)
		if !(pw[0] >= -1e-12) {
			t.Errorf("%v: P has eigenvalue %g < 0", sh, pw[0])
		}
		up := make([]float64, sh[0]*sh[1])
		gemm(blas.NoTrans, blas.NoTrans, sh[0], sh[1], sh[1], u.Data(), sh[1], p.Data(), sh[1], up, sh[1])
		if d := tensor.MaxAbsDiff(wrap(up, sh[0], sh[1]), x); !(d <= 1e-13*x.MaxAbs()*10) {
			t.Errorf("%v: ‖UP − A‖max = %.3g", sh, d)
		}
	}
}

func TestRandomizedSVD(t *testing.T) {
	// Exact rank 20: recovered to rounding.
	s := make([]float64, 20)
	for i := range s {
		s[i] = 10 / float64(i+1)
	}
	a := withSpectrum(t, 41, 300, 200, s)
	f, err := RandomizedSVD(a, 20, RandomizedOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.S) != 20 || !slices.Equal(f.U.Shape(), []int{300, 20}) || !slices.Equal(f.V.Shape(), []int{200, 20}) {
		t.Fatalf("rank-20 result: %d values, U %v, V %v", len(f.S), f.U.Shape(), f.V.Shape())
	}
	du, _ := OrthoDefect(f.U)
	dv, _ := OrthoDefect(f.V)
	if !(du <= 1e-13 && dv <= 1e-13) {
		t.Errorf("orthogonality %.3g %.3g", du, dv)
	}
	if e := tensor.Sub(product(f, 20), a).Norm(); !(e <= 1e-13*a.Norm()) {
		t.Errorf("‖A − UΣVᵀ‖F = %.3g", e)
	}
	exact, _ := SVD(a, SVDOptions{})
	for c := range 20 {
		if !(math.Abs(f.S[c]-exact.S[c]) <= 1e-12*s[0]) {
			t.Errorf("σ%d = %.17g, exact %.17g", c, f.S[c], exact.S[c])
		}
	}
	if d := tensor.MaxAbsDiff(f.U, exact.U.Slice(1, 0, 20, 1)); !(d <= 1e-10) {
		t.Errorf("U differs from the exact SVD's by %g", d)
	}
	// Decaying spectrum: the error is within 1% of the optimum σ_{k+1}.
	decay := make([]float64, 200)
	for i := range decay {
		decay[i] = math.Pow(0.8, float64(i))
	}
	b := withSpectrum(t, 43, 300, 200, decay)
	g, err := RandomizedSVD(b, 15, RandomizedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spectral := gonumSingularValues(tensor.Sub(b, product(g, 15)))[0]
	if !(spectral <= 1.01*decay[15]) {
		t.Errorf("‖A − A_k‖₂ = %.6g, optimum %.6g", spectral, decay[15])
	}
	if _, err := RandomizedSVD(b, 0, RandomizedOptions{}); err == nil {
		t.Error("rank 0 accepted")
	}
}

func TestMatricize(t *testing.T) {
	x := tensor.RandNormal[float64](tensor.NewRand(51), 2, 3, 4, 5)
	m, err := Matricize(x, []int{2, 0})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Shape(), []int{8, 15}) {
		t.Fatalf("shape %v", m.Shape())
	}
	for i := range 2 {
		for j := range 3 {
			for k := range 4 {
				for l := range 5 {
					if m.At(k*2+i, j*5+l) != x.At(i, j, k, l) {
						t.Fatalf("M[(%d %d), (%d %d)] wrong", k, i, j, l)
					}
				}
			}
		}
	}
	for _, rows := range [][]int{{4}, {1, 1}, {-1}} {
		if _, err := Matricize(x, rows); err == nil || !strings.HasPrefix(err.Error(), "linalg: ") {
			t.Errorf("rows %v: err = %v", rows, err)
		}
	}
}

func TestErrors(t *testing.T) {
	cube := tensor.Zeros[float64](2, 2, 2)
	nan := tensor.Zeros[float64](3, 3)
	nan.Set(math.NaN(), 1, 2)
	for name, f := range map[string]func() error{
		"svd rank 3": func() error { _, err := SVD(cube, SVDOptions{}); return err },
		"svd NaN":    func() error { _, err := SVD(nan, SVDOptions{}); return err },
		"qr NaN":     func() error { _, _, err := QR(nan); return err },
		"lq rank 3":  func() error { _, _, err := LQ(cube); return err },
		"eigh":       func() error { _, _, err := Eigh(tensor.Zeros[float64](2, 3)); return err },
		"polar":      func() error { _, _, err := Polar(cube); return err },
	} {
		err := f()
		if err == nil || !strings.HasPrefix(err.Error(), "linalg: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	_, err := SVD(nan, SVDOptions{})
	if !strings.Contains(err.Error(), "(1, 2)") {
		t.Errorf("NaN position missing: %v", err)
	}
}

func TestEmpty(t *testing.T) {
	f, err := SVD(tensor.Zeros[float64](0, 5), SVDOptions{})
	if err != nil || len(f.S) != 0 || !slices.Equal(f.U.Shape(), []int{0, 0}) || !slices.Equal(f.V.Shape(), []int{5, 0}) {
		t.Errorf("SVD of 0×5: %v %v", f, err)
	}
}
