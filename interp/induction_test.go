package interp

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

func TestToyInduction(t *testing.T) {
	p, err := ToyInduction[float64](ToyOptions{D: 64, Beta: 16})
	if err != nil {
		t.Fatal(err)
	}
	for name, run := range map[string]func() (*InductionResult[float64], error){
		"float64": func() (*InductionResult[float64], error) { return Induction(p, 50, tensor.NewRand(1)) },
		"float32": func() (*InductionResult[float64], error) {
			p32, err := ToyInduction[float32](ToyOptions{})
			if err != nil {
				return nil, err
			}
			r, err := Induction(p32, 50, tensor.NewRand(1))
			if err != nil {
				return nil, err
			}
			return &InductionResult[float64]{Induction: r.Induction, PrevToken: r.PrevToken, Accuracy: r.Accuracy}, nil
		},
	} {
		res, err := run()
		if err != nil {
			t.Fatal(err)
		}
		if s := res.Induction.At(1, 0); s < 0.98 {
			t.Errorf("%s: induction score of L1H0 %.4f, want ≥ 0.98", name, s)
		}
		if s := res.PrevToken.At(0, 0); s < 0.999 {
			t.Errorf("%s: previous-token score of L0H0 %.6f, want ≥ 0.999", name, s)
		}
		if s := res.Induction.At(0, 0); s > 0.01 {
			t.Errorf("%s: layer-0 head has induction score %.4f", name, s)
		}
		if res.Accuracy != 1 {
			t.Errorf("%s: in-context accuracy %.3f, want 1", name, res.Accuracy)
		}
	}
	// The previous-token head is the shifted delta A_{q,k} = δ_{k,q−1} (and
	// attends to itself at the start token).
	res, err := Induction(p, 50, tensor.NewRand(2))
	if err != nil {
		t.Fatal(err)
	}
	a := res.Run.Cache.Get(0, HookPattern).Index(0, 0)
	var d float64
	for q := range a.Dim(0) {
		for k := range a.Dim(1) {
			want := 0.0
			if k == max(q-1, 0) {
				want = 1
			}
			d = max(d, math.Abs(a.At(q, k)-want))
		}
	}
	if d > 1e-6 {
		t.Errorf("layer-0 pattern differs from the shifted delta by %g", d)
	}
	if res.Loss > 0.01 {
		t.Errorf("in-context loss %g nats, want < 0.01", res.Loss)
	}
}

// TestToyCompositionExact checks the scores the construction makes exact:
// K = 1/√d to the last bit, Q = V = 0.
func TestToyCompositionExact(t *testing.T) {
	for _, o := range []ToyOptions{{D: 64, Beta: 16}, {D: 16, Beta: 4}, {D: 256, Beta: 16, Vocab: 300}} {
		p, err := ToyInduction[float64](o)
		if err != nil {
			t.Fatal(err)
		}
		comp, err := CompositionScores(p)
		if err != nil {
			t.Fatal(err)
		}
		if k, want := comp.K.At(0, 0, 1, 0), 1/math.Sqrt(float64(o.D)); k != want {
			t.Errorf("d = %d: K-composition %v, want exactly %v", o.D, k, want)
		}
		if q, v := comp.Q.At(0, 0, 1, 0), comp.V.At(0, 0, 1, 0); q != 0 || v != 0 {
			t.Errorf("d = %d: Q-composition %v, V-composition %v, want exactly 0", o.D, q, v)
		}
	}
}

// TestToyPathExpansion: the output is carried by the single layer-1 head
// term alone, and that head's scores by the K-composition term
// (direct query, previous-token head key) alone.
func TestToyPathExpansion(t *testing.T) {
	p, err := ToyInduction[float64](ToyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := RepeatedTokens(p.Config, 20, tensor.NewRand(3))
	if err != nil {
		t.Fatal(err)
	}
	e, err := Expand(p, tokens)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, term := range e.Terms {
		names = append(names, term.Name())
		zero := term.Logits.MaxAbs() == 0
		if zero != (term.Name() != "L1H0") {
			t.Errorf("term %s: max |logit| %g", term.Name(), term.Logits.MaxAbs())
		}
	}
	if got := strings.Join(names, " "); got != "direct L0H0 L1H0 L0H0→L1H0" {
		t.Errorf("terms %s", got)
	}
	qk, err := e.QKTerms(Head{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range qk {
		stripe := StripeMean(term.Scores, 20)
		if term.Name() == "direct·L0H0" {
			if math.Abs(stripe-16) > 1e-4 {
				t.Errorf("K-composition term: mean score on the stripe %g, want β = 16", stripe)
			}
		} else if term.Scores.MaxAbs() != 0 {
			t.Errorf("QK term %s is not zero (max %g)", term.Name(), term.Scores.MaxAbs())
		}
	}
}

func TestRepeatedTokens(t *testing.T) {
	c := Config{NLayer: 1, NHead: 1, DModel: 4, DHead: 2, NCtx: 11, DVocab: 6, AttnOnly: true, StartToken: 2}
	tok, err := RepeatedTokens(c, 5, tensor.NewRand(1))
	if err != nil {
		t.Fatal(err)
	}
	if tok[0] != 2 || len(tok) != 11 || fmt.Sprint(tok[1:6]) != fmt.Sprint(tok[6:]) {
		t.Errorf("tokens %v", tok)
	}
	seen := map[int]bool{}
	for _, v := range tok[1:6] {
		if v == 2 || seen[v] {
			t.Errorf("tokens %v: repeated or start token in the random block", tok)
		}
		seen[v] = true
	}
	for n, want := range map[int]string{6: "distinct tokens", 0: "distinct tokens"} {
		if _, err := RepeatedTokens(c, n, tensor.NewRand(1)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("n = %d: error %v", n, err)
		}
	}
	c.DVocab = 100
	if _, err := RepeatedTokens(c, 6, tensor.NewRand(1)); err == nil || !strings.Contains(err.Error(), "needs 13 positions") {
		t.Errorf("too long: error %v", err)
	}
}

func TestParseTokens(t *testing.T) {
	got, err := ParseTokens(" 1, 2,3 ")
	if err != nil || fmt.Sprint(got) != "[1 2 3]" {
		t.Errorf("ParseTokens: %v, %v", got, err)
	}
	for in, want := range map[string]string{
		"1,,2":   "offset 2",
		"1, x":   `offset 3: "x"`,
		"-1":     "offset 0",
		"":       "offset 0",
		"1, 2 3": `offset 3: "2 3"`,
	} {
		if _, err := ParseTokens(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTokens(%q): error %v, want %q", in, err, want)
		}
	}
}

func FuzzParseTokens(f *testing.F) {
	for _, s := range []string{"1,2,3", " 4 , 5", "", ",", "x", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := ParseTokens(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "interp: tokens: offset ") {
				t.Errorf("error %q lacks the package and offset", err)
			}
			return
		}
		if len(tok) != strings.Count(s, ",")+1 {
			t.Errorf("%q: %d tokens", s, len(tok))
		}
		for _, v := range tok {
			if v < 0 {
				t.Errorf("%q: negative token %d", s, v)
			}
		}
	})
}

func ExampleToyInduction() {
	p, err := ToyInduction[float64](ToyOptions{D: 64, Beta: 16})
	if err != nil {
		panic(err)
	}
	res, err := Induction(p, 50, tensor.NewRand(1))
	if err != nil {
		panic(err)
	}
	comp, err := CompositionScores(p)
	if err != nil {
		panic(err)
	}
	fmt.Printf("induction score %.4f\n", res.Induction.At(1, 0))
	fmt.Printf("previous-token score %.4f\n", res.PrevToken.At(0, 0))
	fmt.Printf("composition L0H0→L1H0: Q %g, K %g, V %g\n", comp.Q.At(0, 0, 1, 0), comp.K.At(0, 0, 1, 0), comp.V.At(0, 0, 1, 0))
	// Output:
	// induction score 0.9999
	// previous-token score 1.0000
	// composition L0H0→L1H0: Q 0, K 0.125, V 0
}
