// Package tikz renders a diagram.Scene as a TikZ picture for LaTeX.
//
// The output is a standalone document (or, with Options.Fragment, just the
// tikzpicture) laid out for editing by hand:
//
//   - every position is a named \coordinate, defined once at the top: a
//     tensor is moved by editing one line, and its outline, the ends of its
//     wires, its stubs, its name and its stubs' labels (all drawn relative
//     to the coordinate) follow it;
//   - the look is in \tikzset styles ("tn tensor", "tn isometry", "tn wire",
//     "tn stub", "tn leg", …);
//   - scene units are kept: x = 10/14 pt and y = −10/14 pt, so numbers match
//     the SVG and the 14-unit tensor names come out at LaTeX's 10 pt.
//
// It needs only LaTeX's article class and TikZ (Debian's texlive-latex-base
// and texlive-pictures) and compiles with pdflatex; the document cuts its
// page to the picture itself. Label text is converted to
// math mode: Greek letters become \alpha…, † becomes \dagger, words of
// several letters are set in \mathrm; a character with no LaTeX form is an
// error.
package tikz

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/strand-tn/strand/diagram"
)

// Options tune the output. The zero value is a good default.
type Options struct {
	// Fragment writes only the tikzpicture environment (with its \tikzset),
	// for \input into a document that loads tikz.
	Fragment bool
}

// unit is the length of one scene unit in pt.
const (
	unit   = 10.0 / 14
	unitPt = "0.714286pt"
)

// preamble and postamble make a document whose one page is cut to the
// picture with a 2 pt border, as the standalone class would, using only
// LaTeX's base classes and TikZ (Debian's texlive-latex-base and
// texlive-pictures).
const preamble = `\documentclass{article}
\usepackage{tikz}
\newbox\strandpicture
\begin{document}
\setbox\strandpicture=\hbox{%
`

const postamble = `}
\ifdefined\pdfpagewidth\else\let\pdfpagewidth\pagewidth\let\pdfpageheight\pageheight\fi
\pdfpagewidth=\dimexpr\wd\strandpicture+4pt\relax
\pdfpageheight=\dimexpr\ht\strandpicture+\dp\strandpicture+4pt\relax
\hoffset=-1in \voffset=-1in
\shipout\vbox{\kern2pt\hbox{\kern2pt\box\strandpicture}}
\end{document}
`

var styles = `\tikzset{
  tn tensor/.style={draw, line width=0.93pt, fill=white, inner sep=0pt, outer sep=0pt},
  tn circle/.style={tn tensor, circle},
  tn box/.style={tn tensor, rectangle, rounded corners=4.29pt},
  tn unitary/.style={tn tensor, rectangle},
  tn isometry/.style={draw, line width=0.93pt, fill=white, line join=round},
  tn delta/.style={circle, fill=black!87, inner sep=0pt, outer sep=0pt},
  tn hole/.style={tn tensor, circle, dashed},
  tn bubble/.style={draw=black!67, line width=0.86pt, rectangle, rounded corners=10pt, inner sep=0pt, outer sep=0pt},
  tn wire/.style={line cap=round, line join=round},
  tn stub/.style={line cap=round},
  tn leg/.style={font=\footnotesize, inner sep=1.8pt},
  tn name/.style={inner sep=0pt},
}
`

// Render writes the scene as TikZ.
func Render(w io.Writer, s *diagram.Scene, opt Options) error {
	bw := bufio.NewWriter(w)
	r := &renderer{s: s, w: bw, names: map[string]string{}, taken: map[string]bool{}}
	if err := r.render(opt); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("tikz: %w", err)
	}
	return nil
}

type renderer struct {
	s     *diagram.Scene
	w     *bufio.Writer
	names map[string]string // node ID → TikZ name
	taken map[string]bool
}

func num(x float64) string {
	r := math.Round(x*100) / 100
	if r == 0 {
		return "0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func pt(p diagram.Point) string { return "(" + num(p.X) + "," + num(p.Y) + ")" }

func lengthPt(units float64) string { return num(units*unit) + "pt" }

// name gives a node a TikZ name made of ASCII letters and digits, based on
// its ID (Greek letters spelled out) and unique in the picture.
func (r *renderer) name(id string) string {
	if n, ok := r.names[id]; ok {
		return n
	}
	var b strings.Builder
	for _, c := range id {
		switch {
		case c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			b.WriteRune(c)
		case strings.HasPrefix(symbols[c], `\`) && unicode.IsLetter(c):
			b.WriteString(symbols[c][1:]) // δ → delta
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			b.WriteString(fmt.Sprintf("u%x", c))
		}
	}
	n := b.String()
	if n == "" || unicode.IsDigit(rune(n[0])) {
		n = "n" + n
	}
	base := n
	for k := 2; r.taken[n]; k++ {
		n = fmt.Sprintf("%s%d", base, k)
	}
	r.taken[n] = true
	r.names[id] = n
	return n
}

// at writes point p relative to node n's coordinate, so that it moves with
// the node: ([shift={(dx,dy)}]A). (PGF's angle anchors are not exact on
// rectangles, so ports are given as offsets.)
func (r *renderer) at(n *diagram.Node, p diagram.Point) string {
	d := p.Sub(n.Center())
	if math.Abs(d.X) < 0.005 && math.Abs(d.Y) < 0.005 {
		return "(" + r.name(n.ID) + ")"
	}
	return "([shift={" + pt(d) + "}]" + r.name(n.ID) + ")"
}

func (r *renderer) render(opt Options) error {
	w := r.w
	if !opt.Fragment {
		w.WriteString(preamble)
	} else {
		w.WriteString("% Needs \\usepackage{tikz} (PGF 3).\n")
	}
	w.WriteString("\\begin{tikzpicture}[x=" + unitPt + ", y=-" + unitPt + "]\n")
	w.WriteString(styles)
	// Coordinates first: tensors, then bends of wires and free labels.
	w.WriteString("% Positions (scene units, y down): edit a tensor's line to move it.\n")
	for _, n := range r.s.Nodes {
		fmt.Fprintf(w, "\\coordinate (%s) at %s;\n", r.name(n.ID), pt(n.Center()))
	}
	bends := map[int][]string{}
	for i, wr := range r.s.Wires {
		for k := 1; k < len(wr.Points)-1; k++ {
			name := fmt.Sprintf("w%d-%d", i+1, k)
			bends[i] = append(bends[i], name)
			fmt.Fprintf(w, "\\coordinate (%s) at %s;\n", name, pt(wr.Points[k]))
		}
	}
	loose := map[int]string{}
	for i, l := range r.s.Labels {
		if l.Owner == "" && l.Stub == 0 && !(l.Wire > 0 && !r.s.Wires[l.Wire-1].Curve && len(r.s.Wires[l.Wire-1].Points) == 2) {
			loose[i] = fmt.Sprintf("l%d", i+1)
			fmt.Fprintf(w, "\\coordinate (%s) at %s;\n", loose[i], pt(l.Center()))
		}
	}
	// Shapes, drawn at their tensors' coordinates.
	w.WriteString("% Tensors\n")
	byID := map[string]*diagram.Node{}
	for i := range r.s.Nodes {
		n := &r.s.Nodes[i]
		byID[n.ID] = n
		shape, err := r.shape(n)
		if err != nil {
			return err
		}
		w.WriteString(shape)
	}
	// Wires between points on the tensors' outlines, so they follow them.
	w.WriteString("% Wires\n")
	wireLabels := map[int][]diagram.Label{}
	for i, l := range r.s.Labels {
		if _, ok := loose[i]; !ok && l.Wire > 0 {
			wireLabels[l.Wire-1] = append(wireLabels[l.Wire-1], l)
		}
	}
	for i, wr := range r.s.Wires {
		from, to := byID[wr.From], byID[wr.To]
		if from == nil || to == nil {
			return fmt.Errorf("tikz: wire %d joins unknown nodes %q and %q", i+1, wr.From, wr.To)
		}
		a, b := r.at(from, wr.Points[0]), r.at(to, wr.Points[len(wr.Points)-1])
		var path strings.Builder
		path.WriteString(a)
		switch {
		case len(wr.Points) == 2:
			path.WriteString(" --")
			for _, l := range wireLabels[i] {
				node, err := labelNode(l, "pos="+num(position(wr.Points[0], wr.Points[1], l.At))+", anchor="+textAnchor(l))
				if err != nil {
					return err
				}
				path.WriteString(" " + node)
			}
			path.WriteString(" " + b)
		case wr.Curve:
			names := bends[i]
			for k := 0; k < len(names); k += 3 {
				end := b
				if k+2 < len(names) {
					end = "(" + names[k+2] + ")"
				}
				fmt.Fprintf(&path, " .. controls (%s) and (%s) .. %s", names[k], names[k+1], end)
			}
		default:
			for _, n := range bends[i] {
				path.WriteString(" -- (" + n + ")")
			}
			path.WriteString(" -- " + b)
		}
		fmt.Fprintf(w, "\\draw[tn wire, line width=%s] %s;\n", lengthPt(wr.Width), path.String())
	}
	// Stubs, relative to their tensors, with their labels at the ends.
	w.WriteString("% Free legs\n")
	stubLabels := map[int]diagram.Label{}
	for _, l := range r.s.Labels {
		if l.Stub > 0 {
			stubLabels[l.Stub-1] = l
		}
	}
	for i, st := range r.s.Stubs {
		n := byID[st.Node]
		if n == nil || len(st.Points) != 2 {
			return fmt.Errorf("tikz: stub %d of unknown node %q or not a segment", i+1, st.Node)
		}
		d := st.Points[1].Sub(st.Points[0])
		start := r.at(n, st.Points[0])
		node := ""
		if l, ok := stubLabels[i]; ok {
			var err error
			if node, err = labelNode(l, "anchor="+textAnchor(l)); err != nil {
				return err
			}
			node = " " + node
		}
		fmt.Fprintf(w, "\\draw[tn stub, line width=%s] %s -- ++%s%s;\n", lengthPt(st.Width), start, pt(d), node)
	}
	// Names of tensors and bubbles, and the labels not attached to a leg.
	w.WriteString("% Labels\n")
	for i, l := range r.s.Labels {
		switch {
		case l.Owner != "":
			n := byID[l.Owner]
			if n == nil {
				return fmt.Errorf("tikz: label %q of unknown node %q", l.Text, l.Owner)
			}
			node, err := labelNode(l, "")
			if err != nil {
				return err
			}
			off := l.Center().Sub(n.Center())
			if off.Len() < 0.005 {
				fmt.Fprintf(w, "\\path (%s) %s;\n", r.name(n.ID), node)
			} else {
				fmt.Fprintf(w, "\\path (%s) ++%s %s;\n", r.name(n.ID), pt(off), node)
			}
		case loose[i] != "":
			node, err := labelNode(l, "")
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "\\path (%s) %s;\n", loose[i], node)
		}
	}
	w.WriteString("\\end{tikzpicture}\n")
	if !opt.Fragment {
		w.WriteString(postamble)
	}
	return nil
}

// position is the fraction of segment ab at which point p lies.
func position(a, b, p diagram.Point) float64 {
	ab := b.Sub(a)
	l2 := ab.Dot(ab)
	if l2 == 0 {
		return 0.5
	}
	return math.Max(0, math.Min(1, p.Sub(a).Dot(ab)/l2))
}

// textAnchor is the angle anchor of a label's box that faces the point it
// hangs from.
func textAnchor(l diagram.Label) string {
	d := l.At.Sub(l.Center())
	a := math.Round(-math.Atan2(d.Y, d.X) * 180 / math.Pi)
	if a <= -180 {
		a += 360
	}
	return num(a)
}

// shape draws a tensor's outline at its coordinate.
func (r *renderer) shape(n *diagram.Node) (string, error) {
	fill := ""
	if n.Color != "" {
		hex, err := diagram.ColorHex(n.Color)
		if err != nil {
			return "", fmt.Errorf("tikz: node %q: %w", n.ID, err)
		}
		v, _ := strconv.ParseUint(hex[1:], 16, 32)
		fill = fmt.Sprintf(", fill={rgb,255:red,%d;green,%d;blue,%d}", v>>16, v>>8&0xff, v&0xff)
	}
	node := func(style string) string {
		return fmt.Sprintf("\\node[%s] at (%s) {};\n", style, r.name(n.ID))
	}
	size := "minimum width=" + lengthPt(n.W) + ", minimum height=" + lengthPt(n.H)
	switch n.Shape {
	case diagram.Circle:
		st := "tn circle"
		if n.Kind == diagram.Hole {
			st = "tn hole"
		}
		return node(st + ", minimum size=" + lengthPt(math.Min(n.W, n.H)) + fill), nil
	case diagram.Dot:
		return node("tn delta, minimum size=" + lengthPt(math.Min(n.W, n.H))), nil
	case diagram.RoundBox:
		return node("tn box, " + size + fill), nil
	case diagram.Square:
		return node("tn unitary, " + size + fill), nil
	case diagram.Bubble:
		return node("tn bubble, " + size), nil
	case diagram.Triangle:
		var b strings.Builder
		b.WriteString("\\draw[tn isometry" + fill + "]")
		for _, p := range n.Outline() {
			b.WriteString(" " + r.at(n, p) + " --")
		}
		b.WriteString(" cycle;\n")
		return b.String(), nil
	}
	return "", nil
}

// sizes maps a font size in scene units to the LaTeX size command whose
// size (in pt, at 14 units per 10 pt) is nearest.
var sizes = []struct {
	cmd string
	pt  float64
}{
	{`\scriptsize`, 7}, {`\footnotesize`, 8}, {`\small`, 9}, {`\normalsize`, 10},
	{`\large`, 12}, {`\Large`, 14.4}, {`\LARGE`, 17.28}, {`\huge`, 20.74},
}

func fontFor(size float64) string {
	want := size * unit
	best := sizes[0]
	for _, s := range sizes {
		if math.Abs(s.pt-want) < math.Abs(best.pt-want) {
			best = s
		}
	}
	return best.cmd
}

// labelNode writes a label as a TikZ node with the given extra options.
func labelNode(l diagram.Label, opts string) (string, error) {
	tex, err := mathText(l.Text)
	if err != nil {
		return "", err
	}
	o := "tn name, font=" + fontFor(l.Size)
	if l.Kind == diagram.LegLabel {
		o = "tn leg, font=" + fontFor(l.Size)
	}
	if l.Flip {
		o += ", rotate=180"
	}
	if opts != "" {
		o += ", " + opts
	}
	return "node[" + o + "] {$" + tex + "$}", nil
}
