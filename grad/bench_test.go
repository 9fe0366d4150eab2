package grad

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/tensor"
)

// BenchmarkLadderSweep times all ten environments of the seed's ladder in
// one forward/backward sweep and reports its cost in contractions of the
// ladder: "x-compiled" against one contraction compiled once
// (contract.Compile, on the path contract plans) and evaluated, timed in
// alternation with the sweep so that the machine's load hits both alike;
// "x-eval" against contract.EvalNetwork, one evaluation as strand makes it,
// planning included. Sizes: the seed's (2 and 3) and every leg of size D.
func BenchmarkLadderSweep(b *testing.B) {
	for _, d := range []int{0, 8, 16, 24} {
		name, src := "seed", ladder
		if d > 0 {
			name = fmt.Sprintf("D=%d", d)
			src = regexp.MustCompile(`=\d+`).ReplaceAllString(ladder, fmt.Sprintf("=%d", d))
		}
		b.Run(name, func(b *testing.B) {
			prog := resolve(b, src)
			n := prog.Statements[0].RHS.Terms[0].Net
			bindings := bind(prog, inputsByName(b, prog, 1))
			sweep, err := NewSweep[float64](n, Options{})
			if err != nil {
				b.Fatal(err)
			}
			low, err := n.Einsum()
			if err != nil {
				b.Fatal(err)
			}
			var spec contract.Spec
			var shapes [][]int
			var ops []*tensor.Dense[float64]
			for _, op := range low.Operands {
				spec.Inputs = append(spec.Inputs, op.Labels)
				shapes = append(shapes, op.Dims)
				ops = append(ops, bindings.Inputs[op.Input])
			}
			spec.Output = []string{}
			compiled, err := contract.Compile[float64](spec, contract.Options{}, shapes...)
			if err != nil {
				b.Fatal(err)
			}
			var tSweep, tEval, tCompiled time.Duration
			timed := func(acc *time.Duration, f func() error) {
				start := time.Now()
				if err := f(); err != nil {
					b.Fatal(err)
				}
				*acc += time.Since(start)
			}
			for b.Loop() {
				timed(&tSweep, func() error { _, _, err := sweep.Environments(bindings, nil); return err })
				timed(&tCompiled, func() error { _, err := compiled.Eval(ops...); return err })
			}
			b.StopTimer()
			const evals = 20
			for range evals {
				timed(&tEval, func() error { _, err := contract.EvalNetwork(n, bindings, contract.Options{}); return err })
			}
			perSweep := tSweep.Seconds() / float64(b.N)
			b.ReportMetric(perSweep*1e9, "sweep-ns")
			b.ReportMetric(perSweep/(tCompiled.Seconds()/float64(b.N)), "x-compiled")
			b.ReportMetric(perSweep/(tEval.Seconds()/evals), "x-eval")
		})
	}
}

// BenchmarkAttentionGradient times one reverse-mode gradient of a causal
// attention layer with a cross-entropy loss, the step a training loop
// repeats.
func BenchmarkAttentionGradient(b *testing.B) {
	src := `dim q=32 k=32 s=32 e=64 f=64 d=16 h=4 v=48
A[h q k] = softmax_k(0.25 x[q e] W_Q[h e d] x[k f] W_K[h f d] + M[q k] δ[h])
y[s e] = x[s e] + A[h s k] x[k f] W_V[h f d] W_O[h d e]
L = -Y[s v] logsoftmax_v(y[s e] W_U[e v])[s v]`
	prog := resolve(b, src)
	inputs := inputsByName(b, prog, 1)
	g, err := Compile[float64](prog, []string{"W_Q", "W_K", "W_V", "W_O", "W_U"}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	bindings := bind(prog, inputs)
	for b.Loop() {
		if _, err := g.ValueAndGrad(bindings); err != nil {
			b.Fatal(err)
		}
	}
}
