package layout_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/diagram/raster"
)

var pngDir = flag.String("png", "", "write a PNG of every test figure into this directory (docs/img/diagrams holds them)")

// TestRenderPNG writes the test figures as PNGs for people to look at:
// go test -run TestRenderPNG -png ../../docs/img/diagrams
func TestRenderPNG(t *testing.T) {
	if *pngDir == "" {
		t.Skip("no -png directory")
	}
	for _, ex := range gallery() {
		s, err := layout.LayoutFigure(ex.fig, layout.Options{})
		if err != nil {
			t.Fatalf("%s: %v", ex.name, err)
		}
		f, err := os.Create(filepath.Join(*pngDir, ex.name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := raster.PNG(f, s, raster.Options{}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
