package strand

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/diagram/raster"
	"github.com/strand-tn/strand/diagram/svg"
	"github.com/strand-tn/strand/diagram/tikz"
)

// Format is a drawing format.
type Format string

// The drawing formats.
const (
	SVG  Format = "svg"  // SVG with CSS classes and a <title> on every tensor and leg
	TikZ Format = "tikz" // a standalone tikzpicture, every position a named \coordinate
	PNG  Format = "png"  // a raster image, text included
	JSON Format = "json" // the scene: nodes, wires, stubs and labels with their boxes
)

// FormatOf returns the format a file name's extension names: .svg, .tex
// (TikZ), .png or .json.
func FormatOf(path string) (Format, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".svg":
		return SVG, nil
	case ".tex":
		return TikZ, nil
	case ".png":
		return PNG, nil
	case ".json":
		return JSON, nil
	default:
		return "", fmt.Errorf("strand: %s: the extension %q is not .svg, .tex, .png or .json", path, ext)
	}
}

// DrawOptions control Layout and Draw. The zero value draws every statement
// as written with leg names, unknown sizes left open.
type DrawOptions struct {
	Dims        map[string]int // sizes of legs the text leaves open
	Hole        []string       // free legs that meet at a hole (a derivative)
	Flat        bool           // draw residual streams as sums, not on a vertical backbone
	NoLHS       bool           // draw an assignment's value without the assigned tensor
	Sizes       bool           // write each free leg's size beside its name
	NoLegLabels bool           // leave contracted legs unnamed
	Scale       float64        // PNG pixels per unit, SVG size factor (0: the default)
}

// Layout lays out text in any of strand's notations as a Penrose diagram:
// the figures of a program's statements one below the other.
func Layout(text string, opts DrawOptions) (*diagram.Scene, error) {
	figs, err := layout.FromText(text, opts.Dims, layout.FromOptions{NoLHS: opts.NoLHS, Flat: opts.Flat, Hole: opts.Hole})
	if err != nil {
		return nil, err
	}
	return layout.LayoutFigures(figs, layout.Options{Sizes: opts.Sizes, NoLegLabels: opts.NoLegLabels})
}

// Render writes a laid-out scene in format f; scale is the PNG's pixels per
// unit or the SVG's size factor (0: the default).
func Render(w io.Writer, s *diagram.Scene, f Format, scale float64) error {
	switch f {
	case SVG:
		return svg.Render(w, s, svg.Options{Scale: scale})
	case TikZ:
		return tikz.Render(w, s, tikz.Options{})
	case PNG:
		return raster.PNG(w, s, raster.Options{Scale: scale})
	case JSON:
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}
	return fmt.Errorf("strand: unknown drawing format %q (svg, tikz, png or json)", f)
}

// Draw lays out text (see Layout) and writes the diagram in format f.
func Draw(w io.Writer, text string, f Format, opts DrawOptions) error {
	s, err := Layout(text, opts)
	if err != nil {
		return err
	}
	return Render(w, s, f, opts.Scale)
}

// Draw writes the program's diagram in format f.
func (p *Program) Draw(w io.Writer, f Format, opts DrawOptions) error {
	return Draw(w, p.Text, f, opts)
}
