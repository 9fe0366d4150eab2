package studio

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/notation"
)

// moveRequest says that tensor Node (a scene ID) of statement Statement was
// dragged so that its centre is now at (X, Y) in scene units.
type moveRequest struct {
	Text      string           `json:"text"`
	Shapes    map[string][]int `json:"shapes"`
	Statement int              `json:"statement"`
	Node      string           `json:"node"`
	X         float64          `json:"x"`
	Y         float64          `json:"y"`
}

// moved is the text with the dragged tensor's pin written into it.
type moved struct {
	Text string `json:"text"`
	// Offset and End delimit, in UTF-16 code units of the new text, the
	// statement that changed.
	Offset int `json:"offset"`
	End    int `json:"end"`
}

// pinStep is the grid a dragged pin snaps to, in cells.
const pinStep = 0.1

// move writes the pin of a dragged tensor into the text, so that the text
// stays the one description of the drawing. A pin is in grid cells (layout
// Options.Cell scene units) and relative to the other pins of its term: the
// layout places pinned tensors exactly and fits the rest around them. So a
// tensor dragged in a term that already has another pinned tensor gets the
// pin that puts it where it was dropped, measured from that tensor; in a term
// with no pins yet, every tensor of the term that a pin can name is pinned
// where it is drawn (the dragged one where it was dropped), which keeps the
// drawing as the user sees it.
//
// A pin already in the text is rewritten in place — on the statement's line,
// or on a hint line, which then moves the tensor in every statement — and a
// new pin is appended to the statement's line, where it applies to that
// statement only.
func (s *Server) move(ctx context.Context, req *moveRequest) (*moved, error) {
	d, err := compile(req.Text, req.Shapes, s.opts.defaultSize())
	if err != nil {
		return nil, &httpError{422, "studio: fix the text before dragging: " + err.Error()}
	}
	if d.ast == nil {
		return nil, &httpError{422, "studio: pins are written in index notation (M[i j] = A[i k] B[k j] @A(0, 0)); an einsum equation has no place for them"}
	}
	if req.Statement < 0 || req.Statement >= len(d.stmts) {
		return nil, &httpError{400, fmt.Sprintf("studio: no statement %d (the text has %d)", req.Statement, len(d.stmts))}
	}
	if !finite(req.X) || !finite(req.Y) {
		return nil, &httpError{400, "studio: the drop position is not a finite point"}
	}
	st := d.stmts[req.Statement]
	dr, err := drawStmt(st, d.assumed, s.opts.maxTensors())
	if err != nil {
		return nil, &httpError{422, err.Error()}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(dr.nodes, func(n nodeInfo) bool { return n.ID == req.Node })
	if i < 0 {
		return nil, &httpError{400, fmt.Sprintf("studio: statement %d has no tensor %q", req.Statement, req.Node)}
	}
	target := dr.nodes[i]
	if !target.Pinnable {
		return nil, &httpError{422, fmt.Sprintf("studio: a pin @%s(x, y) names the first %s of a term; this one cannot be pinned", target.Name, target.Name)}
	}
	pins := newPins(dr.nodes, target, req.X, req.Y, layout.Options{}.Cell())
	text := rewritePins(d, st, pins)
	out := &moved{Text: text, Offset: utf16Offset(text, st.pos)}
	// The statement grew by what was written into or after it.
	out.End = utf16Offset(text, st.end+len(text)-len(req.Text))
	return out, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// namedPin is a pin to write: tensor Name at (X, Y).
type namedPin struct {
	Name string
	X, Y float64
}

// newPins computes the pins to write when target is dropped at (x, y).
func newPins(nodes []nodeInfo, target nodeInfo, x, y, cell float64) []namedPin {
	for _, n := range nodes {
		if n.Term == target.Term && n.ID != target.ID && n.Pin != nil {
			ox, oy := n.X-n.Pin.X*cell, n.Y-n.Pin.Y*cell
			return []namedPin{{target.Name, snap((x - ox) / cell), snap((y - oy) / cell)}}
		}
	}
	var out []namedPin
	ox, oy := math.Inf(1), math.Inf(1)
	pos := func(n nodeInfo) (float64, float64) {
		if n.ID == target.ID {
			return x, y
		}
		return n.X, n.Y
	}
	for _, n := range nodes {
		if n.Term == target.Term && n.Pinnable {
			px, py := pos(n)
			ox, oy = math.Min(ox, px), math.Min(oy, py)
		}
	}
	for _, n := range nodes {
		if n.Term == target.Term && n.Pinnable {
			px, py := pos(n)
			out = append(out, namedPin{n.Name, snap((px - ox) / cell), snap((py - oy) / cell)})
		}
	}
	return out
}

// snap rounds to the pin grid.
func snap(v float64) float64 {
	r := math.Round(v/pinStep) * pinStep
	r = math.Round(r*1e6) / 1e6
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}

// formatPin writes a pin hint: @A(1.5, -0.5).
func formatPin(p namedPin) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return "@" + p.Name + "(" + f(p.X) + ", " + f(p.Y) + ")"
}

// rewritePins writes pins into the text: over an existing pin of the same
// tensor on the statement's line or on a hint line, else after the
// statement.
func rewritePins(d *doc, st *stmt, pins []namedPin) string {
	type edit struct {
		pos, end int
		text     string
	}
	var edits []edit
	var appended []string
	find := func(list []*notation.Hint, name string) *notation.Hint {
		for _, h := range list {
			if h.Kind == notation.HintPin && h.Target == name {
				return h
			}
		}
		return nil
	}
	var own []*notation.Hint
	if st.info != nil {
		own = st.info.Hints
	}
	for _, p := range pins {
		h := find(own, p.Name)
		if h == nil {
			for _, s := range d.ast.Stmts {
				if hs, ok := s.(*notation.HintStmt); ok && h == nil {
					h = find(hs.List, p.Name)
				}
			}
		}
		if h != nil {
			edits = append(edits, edit{h.Pos, h.End, formatPin(p)})
		} else {
			appended = append(appended, formatPin(p))
		}
	}
	if len(appended) > 0 {
		edits = append(edits, edit{st.end, st.end, " " + strings.Join(appended, " ")})
	}
	slices.SortFunc(edits, func(a, b edit) int { return b.pos - a.pos })
	text := d.text
	for _, e := range edits {
		text = text[:e.pos] + e.text + text[e.end:]
	}
	return text
}
