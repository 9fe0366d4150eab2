package linalg

import (
	"math"
	"testing"
)

// FuzzBidiagonalSVD decodes a bidiagonal matrix from bytes — magnitudes from
// 2⁻⁶⁰ to 2⁶⁰, exact zeros and repeats, at sizes that need one or more
// merges — and checks that the divide-and-conquer SVD is orthonormal to
// 1e-13 and reproduces B to 1e-13·√n·max|B|.
func FuzzBidiagonalSVD(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 255, 255, 7, 7, 7, 7, 128, 1})
	f.Add([]byte("a bidiagonal matrix with a few repeated entries"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 25 + len(data)%60
		vals := make([]float64, 2*n-1)
		for i := range vals {
			if len(data) == 0 {
				break
			}
			b0, b1 := data[(2*i)%len(data)], data[(2*i+1)%len(data)]
			switch {
			case b0 < 40:
				vals[i] = 0
			case b0 < 60:
				vals[i] = 1
			default:
				vals[i] = math.Ldexp(1+float64(b1)/256, int(b0%121)-60)
				if b1&1 == 1 {
					vals[i] = -vals[i]
				}
			}
		}
		d, e := vals[:n], vals[n:]
		r, err := bidiagSVD(d, e)
		if err != nil {
			t.Skip(err)
		}
		scale := 0.0
		for _, x := range vals {
			scale = max(scale, math.Abs(x))
		}
		for c := range n {
			for i := range n {
				bv := d[i] * r.v[i*n+c]
				if i < n-1 {
					bv += e[i] * r.v[(i+1)*n+c]
				}
				if res := math.Abs(bv - r.u[i*n+c]*r.s[c]); !(res <= 1e-13*scale*math.Sqrt(float64(n))) {
					t.Fatalf("n=%d: |(BV − UΣ)[%d,%d]| = %g, scale %g", n, i, c, res, scale)
				}
			}
			if c > 0 && r.s[c] > r.s[c-1] {
				t.Fatalf("singular values not decreasing at %d", c)
			}
		}
		du, _ := OrthoDefect(wrap(r.u, n, n))
		dv, _ := OrthoDefect(wrap(r.v, n, n))
		if !(du <= 1e-13 && dv <= 1e-13) {
			t.Fatalf("n=%d: orthogonality %g %g", n, du, dv)
		}
	})
}
