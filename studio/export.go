package studio

import (
	"bytes"
	"context"
	"fmt"
	"github.com/strand-tn/strand"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/notation"
)

// exportRequest asks for a diagram in a file format, or for the whole text
// as canonical notation. Statement picks the statement drawn; -1 draws the
// whole text as `strand draw` does, its figures one below the other.
type exportRequest struct {
	Text      string           `json:"text"`
	Shapes    map[string][]int `json:"shapes"`
	Statement int              `json:"statement"`
	// Format is svg, tikz, png, json (the scene) or notation.
	Format string `json:"format"`
}

// exportFormats lists the formats with their file extension and MIME type.
var exportFormats = map[string]struct{ ext, mime string }{
	"svg":      {"svg", "image/svg+xml"},
	"tikz":     {"tex", "application/x-tex"},
	"png":      {"png", "image/png"},
	"json":     {"json", "application/json"},
	"notation": {"tn", "text/plain; charset=utf-8"},
}

// export renders a statement's diagram with the renderer of the format
// (the ones `strand draw` uses), or prints the text with notation.Format.
func (s *Server) export(ctx context.Context, req *exportRequest) (*file, error) {
	f, ok := exportFormats[req.Format]
	if !ok {
		return nil, &httpError{400, fmt.Sprintf("studio: unknown export format %q (want svg, tikz, png, json or notation)", req.Format)}
	}
	d, err := compile(req.Text, req.Shapes, s.opts.defaultSize())
	if req.Format == "notation" {
		if d.node == nil {
			return nil, &httpError{422, "studio: fix the text before exporting it: " + err.Error()}
		}
		return &file{"strand.tn", f.mime, []byte(notation.Format(d.node) + "\n")}, nil
	}
	if err != nil {
		return nil, &httpError{422, "studio: fix the text before exporting its diagram: " + err.Error()}
	}
	scene, err := s.exportScene(d, req.Statement)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := strand.Render(&buf, scene, strand.Format(req.Format), 0); err != nil {
		return nil, &httpError{422, err.Error()}
	}
	name := "strand." + f.ext
	if len(d.stmts) > 1 && req.Statement >= 0 {
		name = fmt.Sprintf("strand-%d.%s", req.Statement+1, f.ext)
	}
	return &file{name, f.mime, buf.Bytes()}, nil
}

// exportScene draws one statement as the page shows it, or with statement
// -1 the whole text with layout.FromText and LayoutFigures, as `strand draw`
// does (consecutive residual-stream statements share one figure there). The
// sizes the page resolved are passed on, those it assumed are left open.
func (s *Server) exportScene(d *doc, statement int) (*diagram.Scene, error) {
	if statement >= 0 {
		if statement >= len(d.stmts) {
			return nil, &httpError{400, fmt.Sprintf("studio: no statement %d to export (the text has %d)", statement, len(d.stmts))}
		}
		dr, err := drawStmt(d.stmts[statement], d.assumed, s.opts.maxTensors())
		if err != nil {
			return nil, &httpError{422, err.Error()}
		}
		return dr.scene, nil
	}
	if statement != -1 {
		return nil, &httpError{400, fmt.Sprintf("studio: statement %d: want a statement's index or -1 for the whole text", statement)}
	}
	dims := map[string]int{}
	for _, st := range d.stmts {
		for _, x := range st.sides() {
			for l, n := range x.Sizes {
				if _, assumed := d.assumed[l]; !assumed {
					dims[l] = n
				}
			}
		}
	}
	figs, err := layout.FromText(d.text, dims, layout.FromOptions{})
	if err != nil {
		return nil, &httpError{422, err.Error()}
	}
	scene, err := layout.LayoutFigures(figs, layout.Options{})
	if err != nil {
		return nil, &httpError{422, err.Error()}
	}
	return scene, nil
}
