package interp

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// ParseTokens reads a comma-separated list of token ids such as "1, 2,3".
// Errors give the byte offset of the offending item.
func ParseTokens(s string) ([]int, error) {
	var out []int
	off := 0
	for _, item := range strings.Split(s, ",") {
		field := strings.TrimSpace(item)
		pos := off + strings.Index(item, field)
		if field == "" {
			pos = off
		}
		v, err := strconv.Atoi(field)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("interp: tokens: offset %d: %q is not a token id (a non-negative integer)", pos, field)
		}
		out = append(out, v)
		off += len(item) + 1
	}
	return out, nil
}

// RepeatedTokens returns the induction test sequence
//
//	start, t₁ … t_N, t₁ … t_N
//
// (length 2N+1) with t₁ … t_N distinct tokens drawn uniformly from the
// vocabulary without the start token, so that the only earlier occurrence of
// each second-half token is its first-half copy.
func RepeatedTokens(c Config, n int, r *rand.Rand) ([]int, error) {
	if n < 1 || n > c.DVocab-1 {
		return nil, fmt.Errorf("interp: cannot draw %d distinct tokens from a vocabulary of %d (less the start token)", n, c.DVocab)
	}
	if 2*n+1 > c.NCtx {
		return nil, fmt.Errorf("interp: a repeated sequence of %d tokens needs %d positions, the model has %d", n, 2*n+1, c.NCtx)
	}
	// Partial Fisher–Yates shuffle over the vocabulary less the start token.
	pool := make([]int, 0, c.DVocab-1)
	for v := range c.DVocab {
		if v != c.StartToken {
			pool = append(pool, v)
		}
	}
	for i := range n {
		j := i + r.IntN(len(pool)-i)
		pool[i], pool[j] = pool[j], pool[i]
	}
	out := append([]int{c.StartToken}, pool[:n]...)
	return append(out, pool[:n]...), nil
}
