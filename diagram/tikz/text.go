package tikz

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/strand-tn/strand/diagram"
)

// symbols maps characters to their LaTeX math-mode form.
var symbols = map[rune]string{
	'α': `\alpha`, 'β': `\beta`, 'γ': `\gamma`, 'δ': `\delta`, 'ε': `\epsilon`, 'ζ': `\zeta`,
	'η': `\eta`, 'θ': `\theta`, 'ι': `\iota`, 'κ': `\kappa`, 'λ': `\lambda`, 'μ': `\mu`,
	'ν': `\nu`, 'ξ': `\xi`, 'ο': `o`, 'π': `\pi`, 'ρ': `\rho`, 'σ': `\sigma`, 'ς': `\varsigma`,
	'τ': `\tau`, 'υ': `\upsilon`, 'φ': `\phi`, 'χ': `\chi`, 'ψ': `\psi`, 'ω': `\omega`,
	'Γ': `\Gamma`, 'Δ': `\Delta`, 'Θ': `\Theta`, 'Λ': `\Lambda`, 'Ξ': `\Xi`, 'Π': `\Pi`,
	'Σ': `\Sigma`, 'Υ': `\Upsilon`, 'Φ': `\Phi`, 'Ψ': `\Psi`, 'Ω': `\Omega`,
	'Α': `A`, 'Β': `B`, 'Ε': `E`, 'Ζ': `Z`, 'Η': `H`, 'Ι': `I`, 'Κ': `K`, 'Μ': `M`, 'Ν': `N`,
	'Ο': `O`, 'Ρ': `P`, 'Τ': `T`, 'Χ': `X`,
	'†': `\dagger`, '‡': `\ddagger`, '−': `-`, '–': `-`, '·': `\cdot`, '×': `\times`,
	'⊗': `\otimes`, '⊕': `\oplus`, '∘': `\circ`, '⊙': `\odot`, '≠': `\neq`, '≈': `\approx`,
	'≤': `\leq`, '≥': `\geq`, '∑': `\sum`, '∏': `\prod`, '∂': `\partial`, '∇': `\nabla`,
	'∞': `\infty`, '′': `'`, '↑': `\uparrow`, '↓': `\downarrow`, '→': `\to`, '←': `\leftarrow`,
	'⁻': `-`, '∈': `\in`, '…': `\ldots`, '⋯': `\cdots`, '∗': `*`, '⋆': `\star`,
	'_': `\_`, '{': `\{`, '}': `\}`, '\\': `\backslash`, '&': `\&`, '%': `\%`, '#': `\#`,
	'$': `\$`, '~': `\sim`, '^': `\hat{}`, ' ': `\ `,
}

// texWriter writes LaTeX, putting a space between a control word and a
// letter that follows it ("\alpha x", not "\alphax").
type texWriter struct {
	b    strings.Builder
	ctrl bool
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (w *texWriter) write(s string) {
	if s == "" {
		return
	}
	if w.ctrl && isASCIILetter(s[0]) {
		w.b.WriteByte(' ')
	}
	w.b.WriteString(s)
	k := len(s)
	for k > 0 && isASCIILetter(s[k-1]) {
		k--
	}
	w.ctrl = k < len(s) && k > 0 && s[k-1] == '\\'
}

// mathText converts label markup to LaTeX math mode: single letters stay
// italic, longer words go in \mathrm, scripts become _{…} and ^{…}.
func mathText(s string) (string, error) {
	t, err := diagram.ParseText(s)
	if err != nil {
		return "", fmt.Errorf("tikz: %w", err)
	}
	var w texWriter
	for i := 0; i < len(t); i++ {
		r := t[i]
		if r.Script == diagram.Base {
			if err := runTeX(&w, r); err != nil {
				return "", err
			}
			continue
		}
		j := i
		for j+1 < len(t) && t[j+1].Script == r.Script {
			j++
		}
		if r.Script == diagram.Sub {
			w.write("_{")
		} else {
			w.write("^{")
		}
		for k := i; k <= j; k++ {
			if err := runTeX(&w, t[k]); err != nil {
				return "", err
			}
		}
		w.write("}")
		i = j
	}
	return w.b.String(), nil
}

// runTeX writes one run: upright Latin words in \mathrm, the rest symbol by
// symbol.
func runTeX(w *texWriter, r diagram.Run) error {
	word := func(s string) {
		if r.Italic {
			w.write(s)
		} else {
			w.write(`\mathrm{` + s + `}`)
		}
	}
	var cur strings.Builder
	for _, c := range r.Text {
		if c < 128 && unicode.IsLetter(c) {
			cur.WriteRune(c)
			continue
		}
		if cur.Len() > 0 {
			word(cur.String())
			cur.Reset()
		}
		switch {
		case c < 128 && (unicode.IsDigit(c) || strings.ContainsRune("()[],.;:+-=<>/|!?'*@\"", c)):
			w.write(string(c))
		case symbols[c] != "":
			w.write(symbols[c])
		default:
			return fmt.Errorf("tikz: %q has no LaTeX form in label %q", c, r.Text)
		}
	}
	if cur.Len() > 0 {
		word(cur.String())
	}
	return nil
}
