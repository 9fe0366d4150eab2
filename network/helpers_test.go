package network

import (
	"encoding/json"
	"flag"
	"github.com/strand-tn/strand/internal/golden"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/strand-tn/strand/notation"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// conformanceDir holds the conformance data (a copy of the workplace's
// shared/conformance kept in the repository).
const conformanceDir = "../testdata/conformance"

// loadJSON decodes a conformance file into v.
func loadJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(conformanceDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// docBlocks returns the fenced code blocks of docs/notation.md with the given
// info string.
func docBlocks(t testing.TB, lang string) []string {
	t.Helper()
	b, err := os.ReadFile("../docs/notation.md")
	if err != nil {
		t.Fatalf("reading the notation docs: %v", err)
	}
	re := regexp.MustCompile("(?ms)^```" + lang + "\n(.*?)^```")
	var blocks []string
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		blocks = append(blocks, m[1])
	}
	if len(blocks) == 0 {
		t.Fatalf("no %s blocks in docs/notation.md", lang)
	}
	return blocks
}

// build parses and resolves a program, failing the test on an error.
func build(t *testing.T, src string, opts ProgramOptions) *Program {
	t.Helper()
	p, err := notation.ParseProgram(src)
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	prog, err := FromProgram(p, opts)
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	return prog
}

// buildErr parses a program that must parse, and returns the error of
// resolving it.
func buildErr(t *testing.T, src string, opts ProgramOptions) error {
	t.Helper()
	p, err := notation.ParseProgram(src)
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	_, err = FromProgram(p, opts)
	return err
}

// golden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got), *update)
}

// summary writes a resolved program as text: each statement's sides and
// terms with their network summaries.
func summary(p *Program) string {
	var b strings.Builder
	for _, in := range p.Inputs {
		b.WriteString("input " + in.Name + " " + intsText(in.Shape) + "\n")
	}
	for _, st := range p.Statements {
		b.WriteString(st.Kind.String())
		if st.Name != "" {
			b.WriteString(" " + st.Name)
		}
		b.WriteString(" " + intsText(st.RHS.OutShape()) + "\n")
		if st.LHS != nil {
			b.WriteString("lhs " + st.LHS.String())
		}
		b.WriteString(st.RHS.String())
	}
	return b.String()
}

func intsText(s []int) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.Itoa(v)
	}
	return "[" + strings.Join(parts, " ") + "]"
}
