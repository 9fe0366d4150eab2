package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strand-tn/strand/examples"
)

// TestGallery renders every example and checks the page lists each beside
// its notation, with its numeric checks.
func TestGallery(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gallery")
	code, out, errs := runCLI("gallery", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, out, errs)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	all := examples.All()
	for _, e := range all {
		for _, ext := range []string{".svg", ".png", ".tex"} {
			if st, err := os.Stat(filepath.Join(dir, e.Name+ext)); err != nil || st.Size() == 0 {
				t.Errorf("%s%s: %v", e.Name, ext, err)
			}
		}
		if !strings.Contains(html, `<img src="`+e.Name+`.svg"`) || !strings.Contains(html, `id="`+e.Name+`"`) {
			t.Errorf("index.html lacks %s", e.Name)
		}
		if !strings.Contains(out, e.Name) {
			t.Errorf("no progress line for %s", e.Name)
		}
	}
	// Notation is escaped, checks are reported.
	if !strings.Contains(html, "V†[k j] V[j i] == I[k i]") || !strings.Contains(html, "holds") || strings.Contains(html, "fails") {
		t.Errorf("index.html does not show the isometry checks holding")
	}
	if strings.Index(html, `id="tensor"`) > strings.Index(html, `id="gpt2"`) {
		t.Error("the examples are not in the seed's order")
	}
	if code, _, _ := runCLI("gallery"); code != 2 {
		t.Errorf("no -o: exit %d, want 2", code)
	}
}
