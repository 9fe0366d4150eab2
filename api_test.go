package strand

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestAPI keeps the root package's exported surface deliberate: every
// exported declaration is listed in testdata/api.txt, and a change to it
// must be made there too (go test -run API -update).
func TestAPI(t *testing.T) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	var lines []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			lines = append(lines, exported(fset, d)...)
		}
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	const golden = "testdata/api.txt"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the exported API changed; if that is deliberate, run go test -run API -update\n--- got\n%s--- want\n%s", got, want)
	}
}

// exported renders the exported names of a declaration with their signatures.
func exported(fset *token.FileSet, d ast.Decl) []string {
	render := func(n any) string {
		var b strings.Builder
		printer.Fprint(&b, fset, n)
		return strings.Join(strings.Fields(b.String()), " ")
	}
	var out []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if !d.Name.IsExported() {
			return nil
		}
		recv := ""
		if d.Recv != nil {
			recv = "(" + render(d.Recv.List[0].Type) + ") "
			if id, ok := ast.Unparen(d.Recv.List[0].Type).(*ast.StarExpr); ok {
				if x, ok := id.X.(*ast.Ident); ok && !x.IsExported() {
					return nil
				}
			}
		}
		out = append(out, "func "+recv+d.Name.Name+strings.TrimPrefix(render(d.Type), "func"))
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				if !s.Name.IsExported() {
					continue
				}
				if st, ok := s.Type.(*ast.StructType); ok {
					var fields []*ast.Field
					for _, f := range st.Fields.List {
						if len(f.Names) == 0 || f.Names[0].IsExported() {
							fields = append(fields, f)
						}
					}
					st.Fields.List = fields
				}
				params := ""
				if s.TypeParams != nil {
					var ps []string
					for _, f := range s.TypeParams.List {
						for _, n := range f.Names {
							ps = append(ps, n.Name+" "+render(f.Type))
						}
					}
					params = "[" + strings.Join(ps, ", ") + "]"
				}
				assign := " "
				if s.Assign.IsValid() {
					assign = " = "
				}
				out = append(out, "type "+s.Name.Name+params+assign+render(s.Type))
			case *ast.ValueSpec:
				for _, n := range s.Names {
					if n.IsExported() {
						out = append(out, strings.ToLower(d.Tok.String())+" "+n.Name)
					}
				}
			}
		}
	}
	return out
}
