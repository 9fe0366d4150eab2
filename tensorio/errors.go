package tensorio

import (
	"errors"
	"fmt"
)

// ErrTooLarge is wrapped by errors reporting data bigger than [Options.MaxBytes]
// or than the bytes actually present; test with errors.Is.
var ErrTooLarge = errors.New("tensorio: data too large")

// Error reports a malformed, truncated or unconvertible file. Its message reads
//
//	tensorio: NAME: [byte OFFSET: ]MSG
//
// where NAME is the file name (or the format, "npy", "npz", "safetensors", when
// reading a stream; npz members add ": MEMBER.npy").
type Error struct {
	Name   string // file name, or the format when reading a stream
	Offset int64  // byte offset of the fault in the file or stream, or -1 when none applies
	Msg    string // what is wrong
	Err    error  // underlying cause for errors.Is/As (io.ErrUnexpectedEOF, ErrTooLarge, an I/O error), or nil
}

func (e *Error) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("tensorio: %s: byte %d: %s", e.Name, e.Offset, e.Msg)
	}
	return fmt.Sprintf("tensorio: %s: %s", e.Name, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// errorf builds an *Error without an underlying cause.
func errorf(name string, off int64, format string, args ...any) *Error {
	return &Error{Name: name, Offset: off, Msg: fmt.Sprintf(format, args...)}
}
