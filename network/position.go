package network

import (
	"errors"

	"github.com/strand-tn/strand/notation"
)

// Position returns the byte offset in the source text that an error from
// this package or from notation is about (the first of a notation.ErrorList),
// so that a caller can show the line with a caret (notation.Caret).
func Position(err error) (int, bool) {
	var (
		e    *Error
		d    *DimError
		s    *notation.SyntaxError
		list notation.ErrorList
	)
	switch {
	case errors.As(err, &s):
		return s.Pos, true
	case errors.As(err, &list) && len(list) > 0:
		return list[0].Pos, true
	case errors.As(err, &e):
		return e.Pos, true
	case errors.As(err, &d):
		return d.Pos, true
	}
	return 0, false
}
