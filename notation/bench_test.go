package notation

import (
	"strings"
	"testing"
)

func BenchmarkParseEinsum(b *testing.B) {
	src := "i j, i r, j k l, r k s, l m n, s m t, n o p, t o u, p q, u q -> "
	for b.Loop() {
		if _, err := ParseEinsum(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseProgram(b *testing.B) {
	src := strings.Join(programExamples, "\n")
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := ParseProgram(src); err != nil {
			b.Fatal(err)
		}
	}
}
