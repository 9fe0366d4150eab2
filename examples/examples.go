// Package examples embeds strand's example networks: every figure and
// equation of the seed post "Graphical tensor notation for interpretability",
// each a short text file in strand's index notation.
package examples

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
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

// All returns every example, sorted by name.
func All() []Example {
	entries, _ := fs.ReadDir(files, ".")
	var out []Example
	for _, e := range entries {
		b, _ := files.ReadFile(e.Name())
		text := string(b)
		out = append(out, Example{Name: strings.TrimSuffix(e.Name(), path.Ext(e.Name())), Title: title(text), Text: text})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
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
