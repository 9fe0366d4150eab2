package notation

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a token of index notation.
type tokKind int

const (
	tEOF       tokKind = iota
	tNewline           // end of a statement: a newline, or ';' (semi)
	tComment           // '#' to the end of the line; text is what follows '#'
	tName              // identifier
	tNumber            // numeric literal
	tSigma             // Σ_h; text is the leg
	tLBrack            // [
	tRBrack            // ]
	tLParen            // (
	tRParen            // )
	tComma             // ,
	tColon             // :
	tAssign            // =
	tEq                // ==
	tNe                // != or ≠
	tArrow             // ->
	tPlus              // +
	tMinus             // - or −
	tAt                // @
	tDagger            // † or ^H or ^†
	tTranspose         // ᵀ or ^T
	tInverse           // ⁻¹ or ^-1
)

var tokNames = [...]string{
	tEOF: "end of input", tNewline: "end of line", tComment: "comment", tName: "name",
	tNumber: "number", tSigma: "Σ", tLBrack: "'['", tRBrack: "']'", tLParen: "'('",
	tRParen: "')'", tComma: "','", tColon: "':'", tAssign: "'='", tEq: "'=='", tNe: "'!='",
	tArrow: "'->'", tPlus: "'+'", tMinus: "'-'", tAt: "'@'", tDagger: "'†'",
	tTranspose: "'ᵀ'", tInverse: "'⁻¹'",
}

// token is one token with its byte span.
type token struct {
	kind     tokKind
	pos, end int
	text     string
	semi     bool // a tNewline that was ';'
}

func (t token) String() string {
	switch t.kind {
	case tName, tNumber:
		return fmt.Sprintf("%s %q", tokNames[t.kind], t.text)
	case tNewline:
		if t.semi {
			return "';'"
		}
	}
	return tokNames[t.kind]
}

// continues reports whether a statement goes on past a newline after a token
// of this kind: after a binary operator, '=', '==', ',' or '->'.
func (k tokKind) continues() bool {
	switch k {
	case tPlus, tMinus, tAssign, tEq, tNe, tComma, tArrow:
		return true
	}
	return false
}

// lex splits index notation into tokens; it stops after maxErrors errors. Newlines end statements, except
// inside parentheses and after a token that continues the statement (a leg
// list in brackets stays on one line, so that an unclosed '[' is reported on
// its own line); comments inside a continued statement are dropped.
func lex(src string) ([]token, ErrorList) {
	var (
		toks  []token
		errs  ErrorList
		depth int
	)
	emit := func(k tokKind, pos, end int, text string) {
		toks = append(toks, token{kind: k, pos: pos, end: end, text: text})
	}
	inside := func() bool {
		return depth > 0 || (len(toks) > 0 && toks[len(toks)-1].kind.continues())
	}
	for i := 0; i < len(src) && len(errs) < maxErrors; {
		r, w := utf8.DecodeRuneInString(src[i:])
		next, _ := utf8.DecodeRuneInString(src[i+w:])
		switch {
		case r == '\n':
			if !inside() {
				emit(tNewline, i, i+1, "")
			}
		case unicode.IsSpace(r):
		case r == '#':
			j := i
			for j < len(src) && src[j] != '\n' {
				j++
			}
			if !inside() {
				emit(tComment, i, j, src[i+1:j])
			}
			w = j - i
		case r == ';':
			toks = append(toks, token{kind: tNewline, pos: i, end: i + 1, semi: true})
		case r == 'Σ' && next == '_':
			j := i + w + 1
			for j < len(src) {
				r2, w2 := utf8.DecodeRuneInString(src[j:])
				if !isNameChar(r2) {
					break
				}
				j += w2
			}
			if j == i+w+1 {
				errs = append(errs, newError(src, i, "Σ_ needs a leg name: write Σ_h"))
			}
			emit(tSigma, i, j, src[i+w+1:j])
			w = j - i
		case isNameStart(r):
			j := i + w
			for j < len(src) {
				r2, w2 := utf8.DecodeRuneInString(src[j:])
				if !isNameChar(r2) {
					break
				}
				j += w2
			}
			emit(tName, i, j, src[i:j])
			w = j - i
		case isDigit(r) || (r == '.' && isDigit(next)):
			j := scanNumber(src, i)
			if _, err := strconv.ParseFloat(src[i:j], 64); err != nil {
				errs = append(errs, newError(src, i, "number %s is out of range", src[i:j]))
			}
			emit(tNumber, i, j, src[i:j])
			w = j - i
		case r == '[':
			emit(tLBrack, i, i+1, "")
		case r == '(':
			depth++
			emit(tLParen, i, i+1, "")
		case r == ']':
			emit(tRBrack, i, i+1, "")
		case r == ')':
			depth = max(depth-1, 0)
			emit(tRParen, i, i+1, "")
		case r == ',':
			emit(tComma, i, i+1, "")
		case r == ':':
			emit(tColon, i, i+1, "")
		case r == '@':
			emit(tAt, i, i+1, "")
		case r == '+':
			emit(tPlus, i, i+1, "")
		case r == '-' && next == '>':
			emit(tArrow, i, i+2, "")
			w = 2
		case r == '-' || r == '−':
			emit(tMinus, i, i+w, "")
		case r == '=' && next == '=':
			emit(tEq, i, i+2, "")
			w = 2
		case r == '=':
			emit(tAssign, i, i+1, "")
		case r == '!' && next == '=':
			emit(tNe, i, i+2, "")
			w = 2
		case r == '≠':
			emit(tNe, i, i+w, "")
		case r == '†':
			emit(tDagger, i, i+w, "")
		case r == 'ᵀ':
			emit(tTranspose, i, i+w, "")
		case r == '⁻' && next == '¹':
			emit(tInverse, i, i+w+utf8.RuneLen('¹'), "")
			w += utf8.RuneLen('¹')
		case r == '^':
			k, n := caretDecoration(src[i+1:])
			if n == 0 {
				errs = append(errs, newError(src, i, "'^' must be followed by T, H, † or -1"))
				break
			}
			emit(k, i, i+1+n, "")
			w = 1 + n
		case r == '*' || r == '·' || r == '×':
			errs = append(errs, newError(src, i, "unexpected %q: factors are multiplied by juxtaposition (write 2 A[i] B[i], not 2*A[i]*B[i])", r))
		default:
			errs = append(errs, newError(src, i, "unknown character %q", r))
		}
		i += w
	}
	emit(tEOF, len(src), len(src), "")
	return toks, errs
}

// isDigit reports whether r is an ASCII decimal digit.
func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// caretDecoration reads the decoration after '^': T, H, † or -1.
func caretDecoration(s string) (tokKind, int) {
	switch {
	case len(s) > 0 && s[0] == 'T':
		return tTranspose, 1
	case len(s) > 0 && s[0] == 'H':
		return tDagger, 1
	case len(s) > 1 && s[:2] == "-1":
		return tInverse, 2
	}
	if r, w := utf8.DecodeRuneInString(s); r == '†' {
		return tDagger, w
	}
	return 0, 0
}

// scanNumber returns the end of the number that starts at src[i]:
// digits, an optional fraction and an optional exponent.
func scanNumber(src string, i int) int {
	digits := func(j int) int {
		for j < len(src) && isDigit(rune(src[j])) {
			j++
		}
		return j
	}
	j := digits(i)
	if j < len(src) && src[j] == '.' {
		j = digits(j + 1)
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if e := digits(k); e > k {
			j = e
		}
	}
	return j
}
