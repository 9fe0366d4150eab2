package network

import (
	"strconv"
	"strings"
	"testing"

	"github.com/strand-tn/strand/notation"
)

// ladder returns an einops equation for a ladder of n rungs and its shapes.
func ladder(n int) (string, [][]int) {
	var terms []string
	var shapes [][]int
	for k := range n {
		t, b := "t"+strconv.Itoa(k), "b"+strconv.Itoa(k)
		r := "r" + strconv.Itoa(k)
		if k == 0 {
			terms = append(terms, r+" "+t, r+" "+b)
			shapes = append(shapes, []int{2, 3}, []int{2, 3})
			continue
		}
		pt, pb := "t"+strconv.Itoa(k-1), "b"+strconv.Itoa(k-1)
		terms = append(terms, pt+" "+r+" "+t, pb+" "+r+" "+b)
		shapes = append(shapes, []int{3, 2, 3}, []int{3, 2, 3})
	}
	return strings.Join(terms, ", ") + " -> t" + strconv.Itoa(n-1) + " b" + strconv.Itoa(n-1), shapes
}

func BenchmarkFromEinsumLadder(b *testing.B) {
	src, shapes := ladder(50)
	e, err := notation.ParseEinsum(src)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n, err := FromEinsum(e, shapes)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := n.Einsum(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromProgram(b *testing.B) {
	src := docBlocks(b, "tn")
	var progs []*notation.Program
	for _, s := range src {
		p, err := notation.ParseProgram(s)
		if err != nil {
			b.Fatal(err)
		}
		progs = append(progs, p)
	}
	for b.Loop() {
		for _, p := range progs {
			if _, err := FromProgram(p, ProgramOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
