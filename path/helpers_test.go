package path

import (
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

const (
	networksDir = "../testdata/networks"
	pathCosts   = "../testdata/conformance/path_costs.json"
)

// network is one file of ../testdata/networks (a copy of shared/bench/networks).
type network struct {
	Name      string          `json:"name"`
	Inputs    [][]string      `json:"inputs"`
	Output    []string        `json:"output"`
	SizeDict  map[string]int  `json:"size_dict"`
	Params    json.RawMessage `json:"params"`
	Reference map[string]any  `json:"reference"`
	raw       map[string]json.Number
	problem   Problem
}

// refFlops returns the reference FLOPs under key as an exact integer.
func (n *network) refFlops(key string) (*big.Int, bool) {
	v, ok := n.raw[key]
	if !ok {
		return nil, false
	}
	b, ok := new(big.Int).SetString(string(v), 10)
	return b, ok
}

// bestRef returns the smallest of the reference FLOPs (paths.py's REFERENCE_KEYS).
func (n *network) bestRef() *big.Int {
	var best *big.Int
	for _, k := range []string{"opt_einsum_greedy_flops", "opt_einsum_optimal_or_dp_flops",
		"opt_einsum_random_greedy_128_flops", "opt_einsum_dp_slow_flops", "exact_optimum_flops"} {
		if v, ok := n.refFlops(k); ok && (best == nil || v.Cmp(best) < 0) {
			best = v
		}
	}
	return best
}

// refPath returns a stored reference path.
func (n *network) refPath(key string) Path {
	raw, ok := n.Reference[key].([]any)
	if !ok {
		return nil
	}
	var p Path
	for _, step := range raw {
		var s []int
		for _, x := range step.([]any) {
			s = append(s, int(x.(float64)))
		}
		p = append(p, s)
	}
	return p
}

// loadNetworks reads every network file.
func loadNetworks(t testing.TB) []*network {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(networksDir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no network files in %s", networksDir)
	}
	sort.Strings(files)
	var out []*network
	for _, f := range files {
		out = append(out, loadNetwork(t, f))
	}
	return out
}

func loadNetwork(t testing.TB, file string) *network {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var n network
	if err := json.Unmarshal(data, &n); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var numbers struct {
		Reference map[string]any `json:"reference"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&numbers); err != nil {
		t.Fatal(err)
	}
	n.raw = map[string]json.Number{}
	for k, v := range numbers.Reference {
		if num, ok := v.(json.Number); ok {
			n.raw[k] = num
		}
	}
	n.problem, err = FromLabels(n.Inputs, n.Output, n.SizeDict)
	if err != nil {
		t.Fatalf("%s: %v", n.Name, err)
	}
	return &n
}

// findNetwork loads one network by name.
func findNetwork(t testing.TB, name string) *network {
	t.Helper()
	file := filepath.Join(networksDir, name+".json")
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("%s absent", file)
	}
	return loadNetwork(t, file)
}

// costCase is one expression of ../testdata/conformance/path_costs.json.
type costCase struct {
	ID          string  `json:"id"`
	Expr        string  `json:"expr"`
	Shapes      [][]int `json:"shapes"`
	Optimal     *int64  `json:"opt_einsum_optimal_flops"`
	Greedy      *int64  `json:"opt_einsum_greedy_flops"`
	DP          *int64  `json:"opt_einsum_dp_flops"`
	Naive       int64   `json:"naive_flops"`
	GreedyPath  [][]int `json:"opt_einsum_greedy_path"`
	OptimalPath [][]int `json:"opt_einsum_optimal_path"`
	problem     Problem
}

// best is the smallest of the opt_einsum costs given.
func (c *costCase) best() int64 {
	b := int64(-1)
	for _, v := range []*int64{c.Optimal, c.Greedy, c.DP} {
		if v != nil && (b < 0 || *v < b) {
			b = *v
		}
	}
	return b
}

// loadCostCases reads path_costs.json (cases and extra cases).
func loadCostCases(t testing.TB) []*costCase {
	t.Helper()
	data, err := os.ReadFile(pathCosts)
	if err != nil {
		t.Fatalf("%s absent", pathCosts)
	}
	var f struct {
		Cases []*costCase `json:"cases"`
		Extra []*costCase `json:"extra_cases"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	all := append(f.Cases, f.Extra...)
	for _, c := range all {
		c.problem = parseEinsum(t, c.Expr, c.Shapes)
	}
	return all
}

// parseEinsum reads a numpy-style expression with one character per label. A label
// repeated inside one term is kept once, as opt_einsum's path code does (the
// evaluator takes that diagonal first). Without "->", the output is the labels that
// appear once, sorted.
func parseEinsum(t testing.TB, expr string, shapes [][]int) Problem {
	t.Helper()
	lhs, rhs, explicit := strings.Cut(expr, "->")
	terms := strings.Split(lhs, ",")
	if len(terms) != len(shapes) {
		t.Fatalf("%s: %d terms, %d shapes", expr, len(terms), len(shapes))
	}
	sizes := map[string]int{}
	count := map[rune]int{}
	inputs := make([][]string, len(terms))
	for k, term := range terms {
		for j, r := range []rune(term) {
			count[r]++
			sizes[string(r)] = shapes[k][j]
			if !slices.Contains(inputs[k], string(r)) {
				inputs[k] = append(inputs[k], string(r))
			}
		}
	}
	var output []string
	if explicit {
		for _, r := range rhs {
			output = append(output, string(r))
		}
	} else {
		for r, n := range count {
			if n == 1 {
				output = append(output, string(r))
			}
		}
		sort.Strings(output)
	}
	p, err := FromLabels(inputs, output, sizes)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return p
}

func toPath(steps [][]int) Path { return Path(steps) }
