// Package layers holds the test that keeps the package layering of DESIGN.md
// true: every package of the module may import only the packages listed for it.
package layers

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/strand-tn/strand"

// allowed lists, for each package of the module (a trailing "/..." also
// covers subpackages), the packages of the module it may import directly.
// Imports go one way: text → notation → network → path/contract/… → cli.
var allowed = map[string][]string{
	"notation":                 {},
	"internal/kernel":          {"internal/kernel/openblas"},
	"internal/kernel/openblas": {},
	"tensor":                   {"internal/kernel"},
	"tensorio":                 {"tensor"},
	"network":                  {"notation"},
	"path":                     {"network", "notation"},
	"contract":                 {"tensor", "network", "path", "internal/kernel"},
	"codegen":                  {"path", "network", "notation"},
	"linalg":                   {"tensor", "internal/kernel"},
	"decomp":                   {"tensor", "linalg", "contract", "network", "path"},
	"grad":                     {"network", "notation", "contract", "tensor", "path"},
	"diagram":                  {},
	"diagram/layout":           {"network", "notation", "diagram", "path"},
	"diagram/svg":              {"diagram"},
	"diagram/tikz":             {"diagram"},
	"diagram/raster":           {"diagram"},
	"interp/...": {"tensor", "tensorio", "contract", "linalg", "decomp", "grad", "network", "notation", "path",
		"internal/kernel", "diagram", "diagram/layout", "diagram/svg", "diagram/raster", "interp", "interp/..."},
	"examples":        {},
	"examples/go":     {},
	"studio/...":      {"*library", ""},
	"":                {"*library"},
	"internal/cli":    {"*library", "", "studio", "examples"},
	"cmd/strand":      {"internal/cli"},
	"internal/golden": {},
	"internal/layers": {},
}

// library is every package a program embedding strand may use.
var library = []string{"notation", "internal/kernel", "tensor", "tensorio", "network", "path", "contract", "codegen",
	"linalg", "decomp", "grad", "diagram", "diagram/layout", "diagram/svg", "diagram/tikz", "diagram/raster",
	"interp", "interp/...", "examples"}

func rule(pkg string) ([]string, bool) {
	if r, ok := allowed[pkg]; ok {
		return r, true
	}
	for k, r := range allowed {
		if base, ok := strings.CutSuffix(k, "/..."); ok && (pkg == base || strings.HasPrefix(pkg, base+"/")) {
			return r, true
		}
	}
	return nil, false
}

func permits(list []string, imp string) bool {
	for _, a := range list {
		switch {
		case a == "*library":
			if permits(library, imp) {
				return true
			}
		case a == imp:
			return true
		case strings.HasSuffix(a, "/...") && strings.HasPrefix(imp, strings.TrimSuffix(a, "...")):
			return true
		}
	}
	return false
}

func TestImportsFollowTheLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkg := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		rules, ok := rule(pkg)
		if !ok {
			t.Errorf("package %q has no entry in the layering table; add one (see DESIGN.md)", pkg)
			continue
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
			if !permits(rules, dep) && !slices.Contains([]string{pkg}, dep) {
				t.Errorf("%s imports %s, which the layering does not allow", pkg, dep)
			}
		}
	}
}
