package notation

import (
	"testing"
)

// The fuzz targets check that no input makes a parser panic, that every
// error has a position inside the input, and that what parses survives a
// round trip through Format.

func addSeeds(f *testing.F, lists ...[]string) {
	for _, l := range lists {
		for _, s := range l {
			f.Add(s)
		}
	}
}

// roundTrip checks parse(format(n)) == n for a tree n parsed from src.
func roundTrip(t *testing.T, src string, n Node, parse parseFunc) {
	t.Helper()
	text := Format(n)
	n2, err := parse(text)
	if err != nil {
		t.Fatalf("%q formats as %q, which does not parse: %v", src, text, err)
	}
	if again := Format(n2); again != text {
		t.Fatalf("%q: format not idempotent: %q then %q", src, text, again)
	}
	if !sameTree(n, n2) {
		t.Fatalf("%q: the tree of its format %q differs", src, text)
	}
}

func fuzzParser(f *testing.F, parse parseFunc) {
	f.Fuzz(func(t *testing.T, src string) {
		n, err := parse(src)
		if err != nil {
			checkErrorPos(t, src, err)
			return
		}
		roundTrip(t, src, n, parse)
	})
}

func FuzzParseEinsum(f *testing.F) {
	addSeeds(f, einsumExamples, []string{"ab#,bc->ac", "i..", "i j -> j -> i", "(i (j)) -> i"})
	fuzzParser(f, wrap(ParseEinsum))
}

func FuzzParsePattern(f *testing.F) {
	addSeeds(f, patternExamples, []string{"(a)) b c -> a b c", "...pre -> pre", "a 0 -> a"})
	fuzzParser(f, wrap(ParsePattern))
}

func FuzzParseCall(f *testing.F) {
	addSeeds(f, callExamples, []string{"einsum(A, 'i,j->ij', B, C)", "einsum(A[0)], 'i->i')"})
	fuzzParser(f, wrap(ParseCall))
}

func FuzzParseProgram(f *testing.F) {
	addSeeds(f, programExamples, []string{"M[i j] = A[i k] * B[k j]", "x[i = y\nw[) = 1\n", "Σ_ A[i]"})
	fuzzParser(f, wrap(ParseProgram))
}

// FuzzRoundTrip feeds any text to Parse, which picks the form, and reads
// the formatted tree back with the parser of that form.
func FuzzRoundTrip(f *testing.F) {
	addSeeds(f, einsumExamples, callExamples, programExamples)
	f.Fuzz(func(t *testing.T, src string) {
		n, err := Parse(src)
		if err != nil {
			checkErrorPos(t, src, err)
			return
		}
		var parse parseFunc
		switch n.(type) {
		case *Einsum:
			parse = wrap(ParseEinsum)
		case *Call:
			parse = wrap(ParseCall)
		case *Program:
			parse = wrap(ParseProgram)
		default:
			t.Fatalf("Parse(%q) returned a %T", src, n)
		}
		roundTrip(t, src, n, parse)
	})
}
