package notation

import (
	"regexp"
	"strings"
)

// Form is one of the input forms that [Parse] recognises.
type Form int

const (
	FormEinsum  Form = iota // an einsum equation, numpy- or einops-style
	FormCall                // a pasted Python call
	FormProgram             // strand index notation
)

func (f Form) String() string {
	switch f {
	case FormCall:
		return "call"
	case FormProgram:
		return "program"
	}
	return "einsum"
}

var callStart = regexp.MustCompile(`^\s*(?:` + identRE + `\s*=\s*)?` + dotted + `\s*\(`)

// DetectForm tells which form src is written in:
//
//   - a pasted call when it starts with a (dotted) function name and '('
//     (optionally after "name =") and contains a quote;
//   - index notation when it contains any of [ ] = : @ ; or a newline (so a
//     one-line "ab#,bc->ac" stays an einsum equation with a bad character);
//   - an einsum equation otherwise.
//
// einops patterns look like einsum equations; read them with [ParsePattern].
func DetectForm(src string) Form {
	switch {
	case callStart.MatchString(src) && strings.ContainsAny(src, `'"`):
		return FormCall
	case strings.ContainsAny(src, "[]=:@;\n"):
		return FormProgram
	}
	return FormEinsum
}

// Parse parses src in the form [DetectForm] finds, returning an *Einsum,
// *Call or *Program.
func Parse(src string) (Node, error) {
	var n Node
	var err error
	switch DetectForm(src) {
	case FormCall:
		n, err = ParseCall(src)
	case FormProgram:
		n, err = ParseProgram(src)
	default:
		n, err = ParseEinsum(src)
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}
