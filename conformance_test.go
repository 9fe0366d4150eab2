package strand

import (
	"encoding/json"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
	"github.com/strand-tn/strand/tensor"
)

// The cases of testdata/conformance (numpy's, opt_einsum's and einops' own
// tests; see its README), run against the naive evaluator.

func loadJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/conformance/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

type einsumCase struct {
	ID       string  `json:"id"`
	Expr     string  `json:"expr"`
	Shapes   [][]int `json:"shapes"`
	OutShape []int   `json:"out_shape"`
}

// caseInputs draws uniform [0.1, 1) operands seeded by the case id.
func caseInputs(id string, shapes [][]int) []*tensor.Dense[float64] {
	r := rand.New(rand.NewPCG(uint64(crc32.ChecksumIEEE([]byte(id))), 0))
	ops := make([]*tensor.Dense[float64], len(shapes))
	for k, s := range shapes {
		ops[k] = tensor.RandUniform[float64](r, 0.1, 1, s...)
	}
	return ops
}

// naiveReference evaluates an einsum expression with contract.Naive on the
// lowered network: operands split into their elementary labels, the result
// grouped into the output axes.
func naiveReference(expr string, ops []*tensor.Dense[float64]) (*tensor.Dense[float64], error) {
	node, err := notation.Parse(expr)
	if err != nil {
		return nil, err
	}
	shapes := make([][]int, len(ops))
	for k, op := range ops {
		shapes[k] = op.Shape()
	}
	var net *network.Network
	switch n := node.(type) {
	case *notation.Einsum:
		net, err = network.FromEinsum(n, shapes)
	case *notation.Call:
		net, err = network.FromCall(n, shapes)
	}
	if err != nil {
		return nil, err
	}
	low, err := net.Einsum()
	if err != nil {
		return nil, err
	}
	s := contract.Spec{Output: low.Output}
	var in []*tensor.Dense[float64]
	for _, op := range low.Operands {
		s.Inputs = append(s.Inputs, op.Labels)
		in = append(in, ops[op.Input].MustReshape(op.Dims...))
	}
	out, err := contract.Naive(s, in...)
	if err != nil {
		return nil, err
	}
	return out.Reshape(net.OutShape()...)
}

func TestConformanceEinsumCases(t *testing.T) {
	var cases []einsumCase
	loadJSON(t, "einsum_cases.json", &cases)
	for _, c := range cases {
		ops := caseInputs(c.ID, c.Shapes)
		got, err := Einsum(c.Expr, ops...)
		if err != nil {
			t.Errorf("%s %q: %v", c.ID, c.Expr, err)
			continue
		}
		if !slices.Equal(got.Shape(), c.OutShape) {
			t.Errorf("%s %q: shape %v, want %v", c.ID, c.Expr, got.Shape(), c.OutShape)
			continue
		}
		want, err := naiveReference(c.Expr, ops)
		if err != nil {
			// Too large for the naive loop: compare with another contraction order.
			seq := make([][]int, max(1, len(ops)-1))
			for i := range seq {
				seq[i] = []int{0, 1}
			}
			if len(ops) == 1 {
				seq[0] = []int{0}
			}
			if want, err = EinsumWith(c.Expr, Options{Path: seq}, ops...); err != nil {
				t.Errorf("%s: reference: %v", c.ID, err)
				continue
			}
		}
		tol := 1e-9 * max(1, want.MaxAbs())
		if d := tensor.MaxAbsDiff(got, want); !(d <= tol) {
			t.Errorf("%s %q: max error %g > %g", c.ID, c.Expr, d, tol)
		}
	}
}

func TestConformanceEinsumErrors(t *testing.T) {
	var cases []struct {
		ID     string  `json:"id"`
		Expr   string  `json:"expr"`
		Shapes [][]int `json:"shapes"`
		Why    string  `json:"why"`
	}
	loadJSON(t, "einsum_errors.json", &cases)
	for _, c := range cases {
		ops := make([]*tensor.Dense[float64], len(c.Shapes))
		for k, s := range c.Shapes {
			ops[k] = tensor.Zeros[float64](s...)
		}
		if out, err := Einsum(c.Expr, ops...); err == nil {
			t.Errorf("%s %q (%s): accepted, result shape %v", c.ID, c.Expr, c.Why, out.Shape())
		}
	}
}

type rearrangeCase struct {
	ID        string         `json:"id"`
	Op        string         `json:"op"`
	Pattern   string         `json:"pattern"`
	InShape   []int          `json:"in_shape"`
	Axes      map[string]int `json:"axes"`
	Reduction string         `json:"reduction"`
	OutShape  []int          `json:"out_shape"`
	OutHead   []float64      `json:"out_head"`
	Checksum  float64        `json:"out_checksum"`
	Why       string         `json:"why"`
}

func applyCase(c rearrangeCase) (*tensor.Dense[float64], error) {
	n, _ := tensor.SizeOf(c.InShape)
	x := tensor.Arange[float64](n).MustReshape(c.InShape...)
	var axes []AxisSize
	for name, size := range c.Axes {
		axes = append(axes, Axis(name, size))
	}
	switch c.Op {
	case "reduce":
		return Reduce(x, c.Pattern, c.Reduction, axes...)
	case "repeat":
		return Repeat(x, c.Pattern, axes...)
	}
	return Rearrange(x, c.Pattern, axes...)
}

func TestConformanceRearrangeCases(t *testing.T) {
	var cases []rearrangeCase
	loadJSON(t, "rearrange_cases.json", &cases)
	for _, c := range cases {
		got, err := applyCase(c)
		if err != nil {
			t.Errorf("%s %s %q: %v", c.ID, c.Op, c.Pattern, err)
			continue
		}
		if !slices.Equal(got.Shape(), c.OutShape) {
			t.Errorf("%s %q: shape %v, want %v", c.ID, c.Pattern, got.Shape(), c.OutShape)
			continue
		}
		data := got.Data()
		if !slices.Equal(data[:len(c.OutHead)], c.OutHead) {
			t.Errorf("%s %q: head %v, want %v", c.ID, c.Pattern, data[:len(c.OutHead)], c.OutHead)
		}
		sum := 0.0
		for k, v := range data {
			sum += float64(k+1) * v
		}
		if math.Abs(sum-c.Checksum) > 1e-12*math.Abs(c.Checksum) {
			t.Errorf("%s %q: checksum %v, want %v", c.ID, c.Pattern, sum, c.Checksum)
		}
	}
}

func TestConformanceRearrangeErrors(t *testing.T) {
	var cases []rearrangeCase
	loadJSON(t, "rearrange_errors.json", &cases)
	for _, c := range cases {
		if out, err := applyCase(c); err == nil {
			t.Errorf("%s %s %q (%s): accepted, result shape %v", c.ID, c.Op, c.Pattern, c.Why, out.Shape())
		}
	}
}
