package cli

import (
	"bytes"
	"encoding/json"
	"github.com/strand-tn/strand"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strand-tn/strand/diagram"
)

// TestDrawFormats draws one network in every format and reads each back.
func TestDrawFormats(t *testing.T) {
	dir := t.TempDir()
	for _, ext := range []string{".svg", ".tex", ".png", ".json"} {
		out := filepath.Join(dir, "m"+ext)
		code, stdout, errs := runCLI("draw", "M[i k] = A[i j] B[j k]", "-o", out)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", ext, code, errs)
		}
		if !strings.Contains(stdout, "wrote "+out) {
			t.Errorf("%s: stdout %q", ext, stdout)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		switch ext {
		case ".svg":
			if !bytes.HasPrefix(b, []byte("<svg")) || !bytes.Contains(b, []byte(`data-id="t2/A"`)) {
				t.Errorf("svg: %.80s", b)
			}
		case ".tex":
			if !bytes.Contains(b, []byte(`\coordinate (t2A)`)) || !bytes.Contains(b, []byte(`\end{document}`)) {
				t.Errorf("tex: %.200s", b)
			}
		case ".png":
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil || img.Bounds().Dx() < 100 {
				t.Errorf("png: %v %v", err, img.Bounds())
			}
		case ".json":
			var s diagram.Scene
			if err := json.Unmarshal(b, &s); err != nil {
				t.Fatal(err)
			}
			// Two figures' worth of nodes: M on the left, A and B on the right.
			if len(s.Nodes) != 3 || len(s.Wires) != 1 || s.Wires[0].Leg != "j" {
				t.Errorf("json: %d nodes, wires %+v", len(s.Nodes), s.Wires)
			}
		}
	}
	// No temporary files are left beside the outputs.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("%d files in the output directory, want 4", len(entries))
	}
}

// TestDrawInputs: a .tn file, an example's name and every expression form.
func TestDrawInputs(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "net.tn")
	if err := os.WriteFile(src, []byte("dim i=2 j=3\nz = A[i j] B[j i]\nA[i j] B[j i] == B[j i] A[i j]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.json")
	for _, in := range []string{src, "ladder", "ij,jk->ik", "i, j, -> i j", "einsum(A, v, B, 'i α β, β, β α j -> i j')"} {
		if code, _, errs := runCLI("draw", in, "-o", out); code != 0 {
			t.Errorf("%s: exit %d: %s", in, code, errs)
		}
	}
	// The flags reach the layout: sizes beside free legs, a hole.
	if code, _, errs := runCLI("draw", "dim i=2 k=4\nd[i k] = A[i j] C[k j]", "--axis", "j=3", "--sizes", "--value", "--hole", "k", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var s diagram.Scene
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	kinds := map[diagram.Kind]int{}
	for _, n := range s.Nodes {
		kinds[n.Kind]++
	}
	if kinds[diagram.Hole] != 1 || len(s.Stubs) != 1 || !hasLabel(s, "i (2)") {
		t.Errorf("kinds %v, %d stubs, labels %+v", kinds, len(s.Stubs), s.Labels)
	}
}

func hasLabel(s diagram.Scene, text string) bool {
	for _, l := range s.Labels {
		if l.Text == text {
			return true
		}
	}
	return false
}

// TestDrawErrors: bad input is reported with its position, bad calls as
// usage errors; nothing is written.
func TestDrawErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.svg")
	code, _, errs := runCLI("draw", "M[i j] = A[i j", "-o", out)
	if code != 1 || !strings.Contains(errs, "strand: notation:") || !strings.Contains(errs, "^") {
		t.Errorf("syntax error: exit %d:\n%s", code, errs)
	}
	code, _, errs = runCLI("draw", "ij,jk->ik", "-o", filepath.Join(dir, "x.pdf"))
	if code != 1 || !strings.Contains(errs, `"x.pdf"`) && !strings.Contains(errs, ".pdf") {
		t.Errorf("bad extension: exit %d: %s", code, errs)
	}
	code, _, errs = runCLI("draw", "rearrange(T, 'i j -> j i')", "-o", out)
	if code != 1 || !strings.Contains(errs, "index notation") {
		t.Errorf("rearrange: exit %d: %s", code, errs)
	}
	code, _, errs = runCLI("draw", "d[i] = A[i j]  # draw: sideways", "-o", out)
	if code != 1 || !strings.Contains(errs, "unknown draw directive") {
		t.Errorf("directive: exit %d: %s", code, errs)
	}
	if code, _, _ := runCLI("draw", "ij,jk->ik"); code != 2 {
		t.Errorf("no -o: exit %d, want 2", code)
	}
	if code, _, _ := runCLI("draw", "-o", out); code != 2 {
		t.Errorf("no input: exit %d, want 2", code)
	}
	if code, _, errs := runCLI("draw", "nofile.tn", "-o", out); code != 1 || !strings.Contains(errs, "no file nofile.tn") {
		t.Errorf("missing file: exit %d: %s", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestWriteFileAtomic: a failed write leaves the old file and no
// temporary file.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.svg")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := sceneOf("ij,jk->ik", strand.DrawOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Nodes[0].Color = "mauve" // the renderer refuses it
	if err := writeScene(path, s, 0); err == nil {
		t.Fatal("a bad scene was written")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("the old file was replaced by %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	s.Nodes[0].Color = ""
	if err := writeScene(path, s, 0); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", st.Mode().Perm())
	}
}
