package studio

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/network"
	"github.com/strand-tn/strand/notation"
)

// analyzeRequest asks for what the page shows of a text. Shapes gives the
// shapes of uploaded tensors by name, which fix sizes the text leaves open.
type analyzeRequest struct {
	Text   string           `json:"text"`
	Shapes map[string][]int `json:"shapes"`
}

// analysis is the page's view of a text: the form it is written in, its
// errors and, per statement, the diagram and contraction order.
type analysis struct {
	Form       string         `json:"form"`
	Errors     []problem      `json:"errors"`
	Assumed    map[string]int `json:"assumed"` // leg sizes the text leaves open, taken as Options.DefaultSize
	Note       string         `json:"note,omitempty"`
	Cell       float64        `json:"cell"` // scene units per pin grid cell
	Statements []stmtView     `json:"statements"`
}

// problem is an error in the text, located for the editor.
type problem struct {
	Msg string `json:"msg"`
	// Offset is the position in UTF-16 code units (JavaScript's string
	// indices), or -1 when the error has no position.
	Offset int `json:"offset"`
	Line   int `json:"line"` // 1-based, 0 without a position
	Col    int `json:"col"`  // 1-based, in runes
}

// stmtView is one statement as drawn.
type stmtView struct {
	Index        int            `json:"index"`
	Kind         string         `json:"kind"`
	Line         int            `json:"line"`
	Offset       int            `json:"offset"` // span in UTF-16 code units
	End          int            `json:"end"`
	Source       string         `json:"source"`
	SVG          string         `json:"svg,omitempty"`
	Nodes        []nodeInfo     `json:"nodes"`
	Legs         map[string]int `json:"legs"` // every leg's size
	Contractions []*contraction `json:"contractions"`
	Error        *problem       `json:"error,omitempty"` // why it could not be drawn
}

// analyze compiles the text, draws every statement and finds each term's
// contraction order. Errors in the text are part of the analysis, not a
// failure of the request.
func (s *Server) analyze(ctx context.Context, req *analyzeRequest) (*analysis, error) {
	d, err := compile(req.Text, req.Shapes, s.opts.defaultSize())
	a := &analysis{Form: d.form.String(), Errors: []problem{}, Assumed: d.assumed, Note: d.note,
		Cell: layout.Options{}.Cell(), Statements: []stmtView{}}
	if err != nil {
		a.Errors = problems(req.Text, err)
		return a, nil
	}
	for _, st := range d.stmts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v, err := s.view(ctx, d, st)
		if err != nil {
			return nil, err
		}
		a.Statements = append(a.Statements, *v)
	}
	return a, nil
}

// view draws one statement and plans its contractions, the two at once.
// A statement that cannot be drawn carries the reason; only a cancelled
// context fails.
func (s *Server) view(ctx context.Context, d *doc, st *stmt) (*stmtView, error) {
	line, _ := notation.LineCol(d.text, st.pos)
	v := &stmtView{Index: st.index, Kind: st.kind.String(), Line: line, Offset: utf16Offset(d.text, st.pos),
		End: utf16Offset(d.text, st.end), Source: sourceLine(d.text, st.pos),
		Nodes: []nodeInfo{}, Legs: map[string]int{}, Contractions: []*contraction{}}
	for _, x := range st.sides() {
		for l, n := range x.Sizes {
			v.Legs[l] = n
		}
	}
	nets := stmtNetworks(st)
	plans := make([]*plan, len(nets))
	planned := make(chan struct{})
	go func() {
		defer close(planned)
		for i, n := range nets {
			plans[i], _ = planNet(ctx, n.net)
		}
	}()
	dr, err := drawStmt(st, d.assumed, s.opts.maxTensors())
	var svg string
	if err == nil {
		svg, err = renderSVG(dr.scene)
	}
	<-planned
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		p := problemAt(d.text, err, st.pos)
		v.Error = &p
		return v, nil
	}
	v.SVG, v.Nodes = svg, dr.nodes
	for i, n := range nets {
		if plans[i] == nil {
			continue
		}
		c := plans[i].contraction(func(node int) string { return dr.ids[n.net.Nodes[node]] })
		c.Term, c.Label = n.term, n.label
		v.Contractions = append(v.Contractions, c)
	}
	return v, nil
}

// labelledNet is a network of a statement: a term's, or one inside a
// bubble, with the words that say which.
type labelledNet struct {
	net   *network.Network
	term  int
	label string
}

// stmtNetworks lists the networks of a statement, each term followed by
// the networks inside its bubbles.
func stmtNetworks(st *stmt) []labelledNet {
	var out []labelledNet
	var walk func(net *network.Network, term int, label string)
	walk = func(net *network.Network, term int, label string) {
		out = append(out, labelledNet{net, term, label})
		for _, n := range net.Nodes {
			if n.Bubble == nil {
				continue
			}
			for i, a := range n.Bubble.Args {
				in := fmt.Sprintf("%s, inside %s", label, n.Bubble.Func)
				if len(n.Bubble.Args) > 1 {
					in += fmt.Sprintf(" (argument %d)", i+1)
				}
				for _, t := range a.Terms {
					walk(t.Net, term, in)
				}
			}
		}
	}
	for k, t := range st.terms() {
		walk(t.Net, k, fmt.Sprintf("term %d", k+1))
	}
	return out
}

// sourceLine is the line of text holding byte offset pos, trimmed.
func sourceLine(text string, pos int) string {
	pos = max(0, min(pos, len(text)))
	start := strings.LastIndexByte(text[:pos], '\n') + 1
	end := strings.IndexByte(text[pos:], '\n')
	if end < 0 {
		return strings.TrimSpace(text[start:])
	}
	return strings.TrimSpace(text[start : pos+end])
}

// problems lists the errors in err, each located in text when it carries a
// position: every error of a notation.ErrorList, else the one error.
func problems(text string, err error) []problem {
	var list notation.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		out := make([]problem, len(list))
		for i, e := range list {
			out[i] = located(text, e.Error(), e.Pos)
		}
		return out
	}
	return []problem{problemAt(text, err, -1)}
}

// problemAt locates an error: at the position it carries, else at def (-1:
// nowhere).
func problemAt(text string, err error, def int) problem {
	if pos, ok := network.Position(err); ok {
		return located(text, err.Error(), pos)
	}
	if def < 0 {
		return problem{Msg: err.Error(), Offset: -1}
	}
	return located(text, err.Error(), def)
}

func located(text, msg string, pos int) problem {
	line, col := notation.LineCol(text, pos)
	return problem{Msg: msg, Offset: utf16Offset(text, pos), Line: line, Col: col}
}
