package cli

import (
	"bytes"
	"flag"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/strand-tn/strand"
	"github.com/strand-tn/strand/examples"
	"github.com/strand-tn/strand/notation"
)

func init() {
	register(&Command{
		Name:    "gallery",
		Usage:   "-o DIR [--seed N]",
		Summary: "draw every example (the seed post's figures) as SVG, PNG and TikZ, with an index.html of each beside its notation and numeric checks",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			out := fs.String("o", "", "directory to write into (created if missing)")
			seed := fs.Uint64("seed", 1, "seed for the random tensors the equations are checked on")
			return func(env *Env, args []string) error {
				if len(args) != 0 {
					return usagef("gallery takes no arguments")
				}
				if *out == "" {
					return usagef("gallery needs -o DIR")
				}
				return runGallery(env.Stdout, *out, *seed)
			}
		},
	})
}

// galleryEntry is one example on the index page.
type galleryEntry struct {
	Name, Title, Text string
	Checks            []galleryCheck
	Err               string
}

// galleryCheck is the numeric check of one statement: for an equation,
// whether it holds and by how much the sides differ.
type galleryCheck struct {
	Line      int
	Source    string
	Equation  bool
	Pass      bool
	MaxError  float64
	Tolerance float64
}

// runGallery writes DIR/NAME.svg, .png and .tex for every example and
// DIR/index.html. It fails, after writing everything, when an example
// cannot be drawn or evaluated or an equation does not hold.
func runGallery(w io.Writer, dir string, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var entries []galleryEntry
	failed := 0
	for _, e := range examples.All() {
		entry := galleryEntry{Name: e.Name, Title: e.Title, Text: e.Text}
		if err := drawExample(dir, e); err != nil {
			entry.Err = err.Error()
		} else if entry.Checks, err = checkExample(e.Text, seed); err != nil {
			entry.Err = err.Error()
		}
		status := "ok"
		for _, c := range entry.Checks {
			if !c.Pass {
				status = "FAILS"
			}
		}
		if entry.Err != "" {
			status = "ERROR " + entry.Err
		}
		if status != "ok" {
			failed++
		}
		fmt.Fprintf(w, "  %-22s %s\n", e.Name, status)
		entries = append(entries, entry)
	}
	var page bytes.Buffer
	if err := indexPage.Execute(&page, struct {
		Seed    uint64
		Entries []galleryEntry
	}{seed, entries}); err != nil {
		return err
	}
	index := filepath.Join(dir, "index.html")
	if err := writeFileAtomic(index, func(w io.Writer) error { _, err := w.Write(page.Bytes()); return err }); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %d examples and %s\n", len(entries), index)
	if failed > 0 {
		return fmt.Errorf("gallery: %d of %d examples fail (see %s)", failed, len(entries), index)
	}
	return nil
}

// drawExample writes an example's drawing in the three formats.
func drawExample(dir string, e examples.Example) error {
	scene, err := sceneOf(e.Text, strand.DrawOptions{})
	if err != nil {
		return err
	}
	for _, ext := range []string{".svg", ".png", ".tex"} {
		if err := writeScene(filepath.Join(dir, e.Name+ext), scene, 0); err != nil {
			return err
		}
	}
	return nil
}

// checkExample evaluates a program on seeded random tensors of the
// declared kinds and reports each statement; equations are checked.
func checkExample(text string, seed uint64) ([]galleryCheck, error) {
	p, err := strand.Parse(text)
	if err != nil {
		return nil, withSource(err, text)
	}
	results, err := p.Eval(nil, strand.Options{Random: true, Seed: seed})
	if err != nil {
		return nil, withSource(err, text)
	}
	lines := strings.Split(text, "\n")
	var out []galleryCheck
	for _, r := range results {
		line, _ := notation.LineCol(text, r.Statement.Pos)
		c := galleryCheck{Line: line, Source: strings.TrimSpace(lines[line-1]), Pass: true}
		if r.LHS != nil {
			c.Equation, c.Pass, c.MaxError, c.Tolerance = true, r.Pass, r.MaxError, r.Tolerance
		}
		out = append(out, c)
	}
	return out, nil
}

var indexPage = template.Must(template.New("index").Funcs(template.FuncMap{
	"g": func(x float64) string { return fmt.Sprintf("%.2g", x) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>strand gallery: the figures of “Graphical tensor notation for interpretability”</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
section{display:flex;gap:2em;align-items:flex-start;border-top:1px solid #ddd;padding:1.5em 0}
figure{margin:0;flex:0 1 auto;max-width:60%;overflow-x:auto}
figure img{max-width:100%;height:auto}
.text{flex:1 1 24em;min-width:18em}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:90%}
table{border-collapse:collapse;font-size:90%}td{padding:.15em .6em .15em 0;vertical-align:top}
.pass{color:#1a7f37}.fail{color:#c62828;font-weight:bold}.err{color:#c62828}
h2{font-size:110%;margin:0 0 .5em}a{color:#0550ae}
</style>
</head>
<body>
<h1>strand gallery</h1>
<p>Every figure of the seed post, written in strand's index notation and drawn automatically.
Each equation is checked numerically on random tensors of the declared kinds (seed {{.Seed}}).
Each drawing is also available as PNG and as TikZ for pdflatex.</p>
{{range .Entries}}
<section id="{{.Name}}">
<figure><img src="{{.Name}}.svg" alt="{{.Title}}"></figure>
<div class="text">
<h2><a href="#{{.Name}}">{{.Name}}</a>: {{.Title}}</h2>
<pre>{{.Text}}</pre>
{{if .Err}}<p class="err">{{.Err}}</p>{{end}}
{{with .Checks}}<table>{{range .}}<tr><td>line {{.Line}}</td><td>{{if .Equation}}{{if .Pass}}<span class="pass">holds</span>{{else}}<span class="fail">fails</span>{{end}} (max |lhs − rhs| = {{g .MaxError}}, tolerance {{g .Tolerance}}){{else}}evaluated{{end}}</td><td><code>{{.Source}}</code></td></tr>{{end}}</table>{{end}}
<p><a href="{{.Name}}.svg">SVG</a> · <a href="{{.Name}}.png">PNG</a> · <a href="{{.Name}}.tex">TikZ</a></p>
</div>
</section>
{{end}}
</body>
</html>
`))
