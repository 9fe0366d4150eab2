package notation

import (
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

func TestHangHunt(t *testing.T) {
	if os.Getenv("HUNT") == "" {
		t.Skip()
	}
	r := rand.New(rand.NewPCG(1, 2))
	toks := []string{"[", "]", "(", ")", "@", ":", "=", "==", "!=", "->", "+", "-", ",", ";", "\n", "#c", "Σ_h", "sum_h", "dim", "A", "i", "2", "0.5", "†", "ᵀ", "⁻¹", "^T", " ", "conj", "left", "f_k", "δ", "k", "1"}
	for iter := 0; iter < 2000000; iter++ {
		var src string
		if r.IntN(2) == 0 {
			base := programExamples[r.IntN(len(programExamples))]
			b := []byte(base)
			for m := r.IntN(4); m >= 0 && len(b) > 0; m-- {
				p := r.IntN(len(b))
				switch r.IntN(3) {
				case 0:
					b = append(b[:p], b[p+1:]...)
				case 1:
					tok := toks[r.IntN(len(toks))]
					b = append(b[:p], append([]byte(tok), b[p:]...)...)
				default:
					b[p] = byte(r.IntN(128))
				}
			}
			src = string(b)
		} else {
			n := r.IntN(12)
			for k := 0; k < n; k++ {
				src += toks[r.IntN(len(toks))]
			}
		}
		done := make(chan bool)
		go func() {
			n, err := ParseProgram(src)
			if err == nil {
				ParseProgram(Format(n))
			}
			done <- true
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			t.Fatalf("hang on %q", src)
		}
	}
}
