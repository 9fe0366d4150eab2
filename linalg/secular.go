package linalg

import "math"

const eps = 0x1p-53 // unit roundoff of float64

// secular solves the secular equation of the matrix M whose first row is z
// and whose other rows are dⱼ·eⱼᵀ (j ≥ 1):
//
//	f(σ) = 1 + Σⱼ zⱼ² / (dⱼ² − σ²) = 0,
//
// whose K roots are the singular values of M, since MᵀM = D² + z zᵀ. The poles
// must satisfy 0 = d₀ < d₁ < … < d_{K−1} and every zⱼ must be non-zero, so
// that root i lies strictly inside (dᵢ, dᵢ₊₁) (the last one inside
// (d_{K−1}, d_{K−1} + ‖z‖)).
//
// Each root is stored as σᵢ = d_o + τ with o the nearer end of its interval,
// so that the differences dⱼ − σᵢ = (dⱼ − d_o) − τ are accurate even when σᵢ is
// very close to a pole (Li 1994; Gu & Eisenstat 1995). The returned K×K
// row-major arrays hold delta[j·K+i] = dⱼ − σᵢ and omega[j·K+i] = dⱼ + σᵢ.
func secular(d, z []float64) (sigma, delta, omega []float64) {
	K := len(d)
	zz := 0.0
	for _, v := range z {
		zz += v * v
	}
	sigma = make([]float64, K)
	delta = make([]float64, K*K)
	omega = make([]float64, K*K)
	for i := range K {
		o, tau := secularRoot(d, z, i, zz)
		sigma[i] = d[o] + tau
		for j := range K {
			delta[j*K+i] = (d[j] - d[o]) - tau
			omega[j*K+i] = (d[j] + d[o]) + tau
		}
	}
	return sigma, delta, omega
}

// secularEval evaluates f at σ = d[o] + τ, split into ψ (poles j ≤ i) and φ
// (poles j > i), with their derivatives with respect to σ² and Σ|terms|.
func secularEval(d, z []float64, i, o int, tau float64) (psi, phi, dpsi, dphi, abs float64) {
	for j := range d {
		den := ((d[j] - d[o]) - tau) * ((d[j] + d[o]) + tau)
		t := z[j] / den
		term := z[j] * t
		if j <= i {
			psi += term
			dpsi += t * t
		} else {
			phi += term
			dphi += t * t
		}
		abs += math.Abs(term)
	}
	return psi, phi, dpsi, dphi, abs
}

// secularRoot finds root i and returns it as (o, τ) with σ = d[o] + τ.
//
// The iteration keeps a bracket [lo, hi] on τ and takes the "middle way" step
// of Li (1994): in x = σ² the function is modelled as
//
//	g(η) = c + s/(Dᵢ − η) + S/(Dᵢ₊₁ − η),   D = d² − x,
//
// with s, S and c chosen so that g matches f and f′ at the current point, and
// the root of g in (Dᵢ, Dᵢ₊₁) is taken; a step outside the bracket becomes a
// bisection. Iteration stops when |f| is within its rounding error.
func secularRoot(d, z []float64, i int, zz float64) (int, float64) {
	K := len(d)
	var o int
	var lo, hi, tau float64
	if i == K-1 {
		o = i
		lo, hi = 0, zz/(math.Sqrt(d[i]*d[i]+zz)+d[i])
		tau = hi
	} else {
		half := (d[i+1] - d[i]) / 2
		psi, phi, _, _, _ := secularEval(d, z, i, i, half)
		if 1+psi+phi >= 0 {
			o, lo, hi, tau = i, 0, half, half
		} else {
			o, lo, hi, tau = i+1, -half, 0, -half
		}
	}
	for iter := 0; iter < 400; iter++ {
		psi, phi, dpsi, dphi, abs := secularEval(d, z, i, o, tau)
		f := 1 + psi + phi
		sigma := d[o] + tau
		slope := 2 * sigma * (dpsi + dphi) // df/dτ
		if math.Abs(f) <= eps*(8*(1+abs)+math.Abs(tau)*slope) {
			break
		}
		if f < 0 {
			lo = tau
		} else {
			hi = tau
		}
		if hi-lo <= 4*eps*max(math.Abs(lo), math.Abs(hi)) {
			break
		}
		Di := ((d[i] - d[o]) - tau) * ((d[i] + d[o]) + tau)
		var eta float64
		if i < K-1 {
			Dn := ((d[i+1] - d[o]) - tau) * ((d[i+1] + d[o]) + tau)
			c := f - Di*dpsi - Dn*dphi
			s, S := Di*Di*dpsi, Dn*Dn*dphi
			a := c*(Di+Dn) + s + S
			b := c*Di*Dn + s*Dn + S*Di
			switch {
			case c == 0:
				eta = b / a
			case a <= 0:
				eta = (a - math.Sqrt(max(a*a-4*b*c, 0))) / (2 * c)
			default:
				eta = 2 * b / (a + math.Sqrt(max(a*a-4*b*c, 0)))
			}
		} else {
			c := f - Di*dpsi
			eta = Di + Di*Di*dpsi/c
		}
		next := math.NaN()
		if x := sigma*sigma + eta; x >= 0 {
			next = tau + eta/(sigma+math.Sqrt(x))
		}
		// Fall back to bisection outside the bracket, and for good after
		// many steps so that the loop always ends.
		if !(next > lo && next < hi) || iter >= 40 {
			next = lo + (hi-lo)/2
		}
		tau = next
	}
	return o, tau
}

// secularVectors returns the roots σ of the secular equation of (d, z) and the
// singular vectors of M (first row z, then dⱼeⱼᵀ): K×K row-major matrices
// whose column i is the left (u) and right (v) singular vector of σᵢ:
//
//	vᵢ ∝ ( ẑⱼ / (dⱼ² − σᵢ²) )ⱼ,   uᵢ ∝ ( −1, dⱼ ẑⱼ / (dⱼ² − σᵢ²) )ⱼ≥₁.
//
// ẑ is the vector for which the computed σ are the exact singular values
// (Löwner's formula, as in Gu & Eisenstat 1995):
//
//	ẑⱼ² = |σ_{K−1}² − dⱼ²| Π_{i<j} |σᵢ² − dⱼ²| / |dᵢ² − dⱼ²| Π_{j≤i<K−1} |σᵢ² − dⱼ²| / |dᵢ₊₁² − dⱼ²|,
//
// with zⱼ's sign; it makes the vectors orthogonal to working precision.
func secularVectors(d, z []float64) (sigma, u, v []float64) {
	K := len(d)
	sigma, delta, omega := secular(d, z)
	zhat := make([]float64, K)
	for j := range K {
		p := math.Abs(delta[j*K+K-1] * omega[j*K+K-1])
		for i := 0; i < j; i++ {
			p *= math.Abs(delta[j*K+i] * omega[j*K+i] / ((d[i] - d[j]) * (d[i] + d[j])))
		}
		for i := j; i < K-1; i++ {
			p *= math.Abs(delta[j*K+i] * omega[j*K+i] / ((d[i+1] - d[j]) * (d[i+1] + d[j])))
		}
		zhat[j] = math.Copysign(math.Sqrt(p), z[j])
	}
	u = make([]float64, K*K)
	v = make([]float64, K*K)
	for i := range K {
		var nu, nv float64
		for j := range K {
			w := zhat[j] / (delta[j*K+i] * omega[j*K+i])
			v[j*K+i] = w
			nv += w * w
			if j == 0 {
				u[i] = -1
			} else {
				u[j*K+i] = d[j] * w
			}
			nu += u[j*K+i] * u[j*K+i]
		}
		nu, nv = 1/math.Sqrt(nu), 1/math.Sqrt(nv)
		for j := range K {
			u[j*K+i] *= nu
			v[j*K+i] *= nv
		}
	}
	return sigma, u, v
}
