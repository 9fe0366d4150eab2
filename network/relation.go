package network

import "github.com/strand-tn/strand/notation"

// Holds reports whether an equation statement holds given whether its two
// sides are numerically equal: == holds when they are, != when they are not.
func (s *Statement) Holds(equal bool) bool {
	return equal == (s.Rel == notation.RelEqual)
}
