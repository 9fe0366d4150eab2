package network

import "fmt"

// Error is an invalid network: a wrong number of operands, an unknown size, a
// misplaced hint. Pos is the byte offset in the source text that the error is
// about (for a caret under it); it is 0 when nothing better is known.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return "network: " + e.Msg }

func errorf(pos int, format string, args ...any) error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// DimError is a size mismatch: leg Leg of tensor Tensor has size Got, but the
// leg's size is Want, as set by From ("tensor A", "dim j=3", "the given sizes").
// Pos is the byte offset of the leg in the source.
type DimError struct {
	Tensor string
	Leg    string
	Got    int
	Want   int
	From   string
	Pos    int
}

func (e *DimError) Error() string {
	return fmt.Sprintf("network: leg %s of tensor %s has size %d, but %s is %d (from %s)",
		e.Leg, e.Tensor, e.Got, e.Leg, e.Want, e.From)
}
