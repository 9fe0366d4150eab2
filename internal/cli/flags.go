package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

// bytesFlag is a byte count written as 4GiB, 512MB, 1e9 or 0 (no limit).
type bytesFlag int64

func (b *bytesFlag) String() string { return contract.FormatBytes(int64(*b)) }

func (b *bytesFlag) Set(s string) error {
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	*b = bytesFlag(n)
	return nil
}

// parseBytes reads a size with an optional unit: B, KB/MB/GB/TB (powers of
// 1000) or KiB/MiB/GiB/TiB (powers of 1024).
func parseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v*mult > 1<<62 {
		return 0, fmt.Errorf("invalid size %q (write e.g. 4GiB, 512MB or 1e9)", s)
	}
	return int64(v * mult), nil
}

// axesFlag collects repeated --axis name=size flags.
type axesFlag map[string]int

func (a axesFlag) String() string { return fmt.Sprint(map[string]int(a)) }

func (a axesFlag) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	n, err := strconv.Atoi(strings.TrimSpace(val))
	if !ok || err != nil || n <= 0 || strings.TrimSpace(name) == "" {
		return fmt.Errorf("invalid axis size %q (write name=size)", s)
	}
	a[strings.TrimSpace(name)] = n
	return nil
}

// sourceError is an error about a position in a source text, which the CLI
// shows with the line and a caret under the fault.
type sourceError struct {
	err error
	src string
	pos int
}

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// Context renders the source line with a caret under the position.
func (e *sourceError) Context() string { return notation.Caret(e.src, e.pos) }

// withSource attaches src to err when err carries a position in it.
func withSource(err error, src string) error {
	if err == nil {
		return nil
	}
	if pos, ok := network.Position(err); ok {
		return &sourceError{err: err, src: src, pos: pos}
	}
	return err
}
