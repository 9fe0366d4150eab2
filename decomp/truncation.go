package decomp

import (
	"fmt"
	"math"
)

// Truncation says how many singular values a split keeps. Each criterion
// that is set proposes a rank, the smallest proposal wins, and at least one
// value is always kept. Values below the numerical-rank threshold
// max(m, n)·ε·s₀ (numpy.linalg.matrix_rank's) are always dropped, so the zero
// value keeps exactly the numerical rank.
type Truncation struct {
	// MaxRank keeps at most this many values (0: no cap).
	MaxRank int
	// RelDiscardedWeight drops as many of the smallest values as possible
	// while Σ_dropped s² ≤ c·Σ_all s², so that ‖T − T_r‖_F ≤ √c·‖T‖_F.
	RelDiscardedWeight float64
	// AbsDiscardedWeight drops as many as possible while Σ_dropped s² ≤ w.
	AbsDiscardedWeight float64
	// AbsSingularValue drops every value below this threshold.
	AbsSingularValue float64
}

// TruncInfo reports what a truncation kept and dropped.
type TruncInfo struct {
	Rank      int     // singular values kept
	FullRank  int     // singular values there were, min(m, n)
	Discarded float64 // Σ of the dropped s², the squared Frobenius error
	Total     float64 // Σ of all s², the squared Frobenius norm
}

// RelError is the relative Frobenius error sqrt(Discarded / Total) of the
// truncated split (0 for a zero tensor).
func (t TruncInfo) RelError() float64 {
	if t.Total == 0 {
		return 0
	}
	return math.Sqrt(t.Discarded / t.Total)
}

func (t Truncation) validate() error {
	switch {
	case t.MaxRank < 0:
		return fmt.Errorf("decomp: Truncation.MaxRank %d is negative", t.MaxRank)
	case !(t.RelDiscardedWeight >= 0): // rejects NaN too
		return fmt.Errorf("decomp: Truncation.RelDiscardedWeight %g is negative", t.RelDiscardedWeight)
	case !(t.AbsDiscardedWeight >= 0):
		return fmt.Errorf("decomp: Truncation.AbsDiscardedWeight %g is negative", t.AbsDiscardedWeight)
	case !(t.AbsSingularValue >= 0):
		return fmt.Errorf("decomp: Truncation.AbsSingularValue %g is negative", t.AbsSingularValue)
	}
	return nil
}

// apply chooses the rank for the decreasing singular values s of an m×n
// matrix and reports the discarded weight.
func (t Truncation) apply(s []float64, m, n int) TruncInfo {
	info := TruncInfo{FullRank: len(s)}
	// tail[r] = Σ_{i≥r} s², summed from the small end for accuracy.
	tail := make([]float64, len(s)+1)
	for i := len(s) - 1; i >= 0; i-- {
		tail[i] = tail[i+1] + s[i]*s[i]
	}
	info.Total = tail[0]
	r := len(s)
	if len(s) > 0 {
		r = min(r, countAbove(s, float64(max(m, n))*0x1p-52*s[0], true))
	}
	if t.MaxRank > 0 {
		r = min(r, t.MaxRank)
	}
	if t.AbsSingularValue > 0 {
		r = min(r, countAbove(s, t.AbsSingularValue, false))
	}
	if t.RelDiscardedWeight > 0 {
		r = min(r, smallestRank(tail, t.RelDiscardedWeight*info.Total))
	}
	if t.AbsDiscardedWeight > 0 {
		r = min(r, smallestRank(tail, t.AbsDiscardedWeight))
	}
	r = max(r, min(1, len(s)))
	info.Rank = r
	info.Discarded = tail[r]
	return info
}

// countAbove counts the leading values > thr (or ≥ thr when strict is false).
func countAbove(s []float64, thr float64, strict bool) int {
	for i, x := range s {
		if x < thr || (strict && x == thr) {
			return i
		}
	}
	return len(s)
}

// smallestRank is the smallest r with tail[r] ≤ w.
func smallestRank(tail []float64, w float64) int {
	for r, x := range tail {
		if x <= w {
			return r
		}
	}
	return len(tail) - 1
}
