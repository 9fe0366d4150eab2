package notation_test

import (
	"fmt"

	"github.com/strand-tn/strand/notation"
)

func ExampleParseEinsum() {
	e, err := notation.ParseEinsum("i α β, β, β α j -> i j")
	if err != nil {
		panic(err)
	}
	fmt.Println(e.Style, len(e.Inputs), "inputs")
	for _, t := range e.Inputs {
		fmt.Printf("[%s] ", notation.Format(t))
	}
	fmt.Println("->", notation.Format(e.Output))
	// Output:
	// einops 3 inputs
	// [i α β] [β] [β α j] -> i j
}

func ExampleCaret() {
	src := "ab#,bc->ac"
	_, err := notation.ParseEinsum(src)
	se := err.(*notation.SyntaxError)
	fmt.Println("strand:", err)
	fmt.Println(notation.Caret(src, se.Pos))
	// Output:
	// strand: notation: unknown character '#' at column 3
	//   ab#,bc->ac
	//     ^
}

func ExampleParseCall() {
	c, err := notation.ParseCall("einsum(a, b, 'i, j, -> i j')")
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Op, c.Operands[0].Name, c.Operands[1].Name, len(c.Einsum.Inputs), "terms")
	fmt.Println(notation.Format(c))
	// Output:
	// einsum a b 2 terms
	// einsum(a, b, 'i, j -> i j')
}

func ExampleFormat() {
	p, err := notation.ParseProgram("dim i=2 j=3\nA[q k]=softmax_k(Q[q,d] K[k,d]) # attention\nsum_h  Q[h q d]K[h k d] ; V^H[i j] V[j k] == I[i k]")
	if err != nil {
		panic(err)
	}
	fmt.Print(notation.Format(p))
	// Output:
	// dim i=2 j=3
	// A[q k] = softmax_k(Q[q d] K[k d])  # attention
	// Σ_h Q[h q d] K[h k d]
	// V†[i j] V[j k] == I[i k]
}
