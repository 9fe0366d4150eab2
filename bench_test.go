package strand

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/strand-tn/strand/tensor"
)

// BenchmarkExecCases times the B8 execution cases of testdata/exec_cases.json
// as shared/bench/peers.py times numpy.einsum: the whole call (parse, path,
// contraction, output) on in-memory float64 operands uniform on [0, 1).
//
//	go test -run ^$ -bench ExecCases -benchtime 5x
func BenchmarkExecCases(b *testing.B) {
	raw, err := os.ReadFile("testdata/exec_cases.json")
	if err != nil {
		b.Fatal(err)
	}
	var cases []struct {
		ID     string  `json:"id"`
		Expr   string  `json:"expr"`
		Shapes [][]int `json:"shapes"`
		Flops  float64 `json:"flops_estimate"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		b.Run(c.ID, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			ops := make([]*tensor.Dense[float64], len(c.Shapes))
			for k, s := range c.Shapes {
				ops[k] = tensor.RandUniform[float64](r, 0, 1, s...)
			}
			for b.Loop() {
				if _, err := Einsum(c.Expr, ops...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(c.Flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
