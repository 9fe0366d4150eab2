// Package examples embeds strand's example networks: every figure and
// equation of the seed post "Graphical tensor notation for interpretability",
// each a short text file in strand's index notation.
package examples

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
)

//go:embed *.tn
var files embed.FS

// Example is one embedded example file.
type Example struct {
	Name  string // file name without .tn
	Title string // the first comment line
	Text  string
}

// seedOrder lists the examples in the order their figures appear in the
// seed post; All returns any other example after them, by name.
var seedOrder = []string{
	"tensor", "products", "matrix-contractions", "transpose", "permute", "reshape", "split",
	"trace", "contraction", "ladder", "ladder-orders", "derivative",
	"identity", "delta", "diagonal", "isometry", "unitary", "isometry-legs", "kron",
	"svd", "svd-outer", "svd-tensor", "cp", "tucker",
	"tensor-train", "tt-svd", "canonical", "gauge", "peps", "tree", "mera",
	"dense-linear", "dense", "dense-derivative", "gpt2", "input", "mlp", "attention", "heads", "two-layer", "induction",
}

// All returns every example in the order of the seed post's figures.
func All() []Example {
	entries, _ := fs.ReadDir(files, ".")
	var out []Example
	for _, e := range entries {
		b, _ := files.ReadFile(e.Name())
		text := string(b)
		out = append(out, Example{Name: strings.TrimSuffix(e.Name(), path.Ext(e.Name())), Title: title(text), Text: text})
	}
	rank := func(name string) int {
		if i := slices.Index(seedOrder, name); i >= 0 {
			return i
		}
		return len(seedOrder)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank(out[i].Name), rank(out[j].Name)
		return ri < rj || ri == rj && out[i].Name < out[j].Name
	})
	return out
}

// Get returns the example with the given name.
func Get(name string) (Example, error) {
	for _, e := range All() {
		if e.Name == name {
			return e, nil
		}
	}
	var names []string
	for _, e := range All() {
		names = append(names, e.Name)
	}
	return Example{}, fmt.Errorf("examples: no example %q (have: %s)", name, strings.Join(names, ", "))
}

// title is the text of the first line if it is a comment.
func title(text string) string {
	first, _, _ := strings.Cut(text, "\n")
	if t, ok := strings.CutPrefix(strings.TrimSpace(first), "#"); ok {
		return strings.TrimSpace(t)
	}
	return ""
}
