package studio

import (
	"context"
	"flag"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/strand-tn/strand/examples"
	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

var screenshots = flag.String("screenshots", filepath.Join("testdata", "screenshots"),
	"directory for the browser test's screenshots (gitignored)")

// chromium finds a Chromium or Chrome binary.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserPage starts the studio and a headless Chromium on it, with
// downloads going to a temporary directory.
func browserPage(t *testing.T) (ctx context.Context, url, downloads string) {
	t.Helper()
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium: install Debian's chromium to run the browser test")
	}
	if testing.Short() {
		t.Skip("-short: the browser test starts Chromium")
	}
	srv := httptest.NewServer(newServer(t, Options{}))
	t.Cleanup(srv.Close)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
	}
	// The whole browser lives under one deadline, so a hung page fails the
	// test instead of hanging it.
	parent, cancelTime := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancelTime)
	actx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(cancelCtx)
	downloads = t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	return ctx, srv.URL + "/", downloads
}

// run runs chromedp actions, failing the test on error.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression on the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// shot saves a screenshot of the page.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(*screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(*screenshots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// waitJS polls a JavaScript condition until it is true.
func waitJS(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	var err error
	// A poll that starts while a page loads can lose its JavaScript
	// context; it is then started again in the new one.
	for range 3 {
		if _, err = chromedp.Run(ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(20*time.Second))); err == nil ||
			!strings.Contains(err.Error(), "Cannot find context") {
			break
		}
	}
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

const editorID = chromedp.ID("editor")

// typeText replaces the editor's text by typing it key by key.
func typeText(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	run(t, ctx, "typing", chromedp.Focus(editorID),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("editor").select()`),
		chromedp.SendKeys(editorID, kb.Delete),
		chromedp.SendKeys(editorID, text))
}

// waitRendered waits until the diagram shows the editor's current text.
func waitRendered(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	waitJS(t, ctx, "the render of "+text, fmt.Sprintf(`(() => { const s = window.strandStudio;
		return document.getElementById("editor").value === %q && !!s.analysis && s.drawn === s.edits; })()`, text))
}

func TestBrowser(t *testing.T) {
	ctx, url, downloads := browserPage(t)
	run(t, ctx, "loading the page", chromedp.Navigate(url), chromedp.WaitVisible(editorID))
	contraction, _ := examples.Get("contraction")
	waitRendered(t, ctx, contraction.Text)
	shot(t, ctx, "1-start")

	// Type the seed's contraction and wait for its diagram.
	typeText(t, ctx, seed)
	waitRendered(t, ctx, seed)
	waitJS(t, ctx, "the diagram", `document.querySelectorAll("#canvas svg g.tensor").length >= 4`)
	ids := eval[[]string](t, ctx, `[...document.querySelectorAll("#canvas svg g.tensor")].map(g => g.dataset.id)`)
	wires := eval[[]string](t, ctx, `[...document.querySelectorAll("#canvas svg path.wire")].map(p => p.dataset.leg)`)
	stubs := eval[[]string](t, ctx, `[...document.querySelectorAll("#canvas svg path.stub")].map(p => p.dataset.leg)`)
	for _, id := range []string{"t1/M", "t2/A", "t2/v", "t2/B"} {
		if !slices.Contains(ids, id) {
			t.Errorf("tensor %s not drawn; tensors %v", id, ids)
		}
	}
	for _, leg := range []string{"α", "β"} {
		if !slices.Contains(wires, leg) {
			t.Errorf("no wire %s; wires %v", leg, wires)
		}
	}
	if n := countOf(stubs, "i"); n != 2 || countOf(stubs, "j") != 2 {
		t.Errorf("free legs %v, want i and j on M and on the network", stubs)
	}
	// Hover over A: its shape and kind.
	hoverOver(t, ctx, `g.tensor[data-id="t2/A"]`)
	hover := eval[string](t, ctx, `document.getElementById("hover").textContent`)
	if !strings.Contains(hover, "A  general") || !strings.Contains(hover, "shape (2, 2, 2)") {
		t.Errorf("hover text %q", hover)
	}
	// Hover over the wire α: its name and size.
	hoverOver(t, ctx, `path.hit[data-leg="α"]`)
	if hover := eval[string](t, ctx, `document.getElementById("hover").textContent`); hover != "leg α  size 2" {
		t.Errorf("hover text %q", hover)
	}
	shot(t, ctx, "2-seed")

	// Keystroke-to-render latency: append and delete a space, one key at a
	// time, on networks of 3 (the seed), 10 (the ladder) and 30 tensors.
	ladder, _ := examples.Get("ladder")
	chain := chainText(30)
	for _, c := range []struct{ name, text string }{{"seed, 3 tensors", seed}, {"ladder, 10 tensors", ladder.Text}, {"chain, 30 tensors", chain}} {
		lat := keystrokeLatencies(t, ctx, c.text, 10)
		slices.Sort(lat)
		t.Logf("keystroke → rendered diagram, %s: median %.0f ms, max %.0f ms over %d keystrokes", c.name, lat[len(lat)/2], lat[len(lat)-1], len(lat))
	}

	// A syntax error is marked at its column while typing.
	bad := "M[i j] = A[i α β] v[β] ) B[β α j]"
	typeText(t, ctx, bad)
	waitRendered(t, ctx, bad)
	waitJS(t, ctx, "the error mark", `!!document.querySelector("#backdrop mark.err")`)
	type errorMark struct {
		Line, Col    string
		Text, Bubble string
		X, CharX     float64
	}
	mark := eval[errorMark](t, ctx, `(() => {
		// Where the textarea itself sets the 24th character: its content
		// box's left edge plus the width of the 23 characters before it.
		const m = document.querySelector("#backdrop mark.err");
		const ed = document.getElementById("editor");
		const cs = getComputedStyle(ed);
		const c = document.createElement("canvas").getContext("2d");
		c.font = cs.font;
		const left = ed.getBoundingClientRect().left + parseFloat(cs.paddingLeft) + parseFloat(cs.borderLeftWidth);
		return {line: m.dataset.line, col: m.dataset.col, text: m.textContent,
			bubble: document.getElementById("error-bubble").textContent,
			x: m.getBoundingClientRect().left, charX: left + c.measureText(ed.value.slice(0, 23)).width};
	})()`)
	if mark.Line != "1" || mark.Col != "24" || mark.Text != ")" || !strings.Contains(mark.Bubble, "column 24") {
		t.Errorf("error mark %+v, want line 1 column 24 on ')'", mark)
	}
	if math.Abs(mark.X-mark.CharX) > 1 {
		t.Errorf("the mark is at x=%.1f, the textarea's 24th character at x=%.1f", mark.X, mark.CharX)
	}
	shot(t, ctx, "3-syntax-error")

	// Drag v down and right: its pins are written into the text.
	typeText(t, ctx, seed)
	waitRendered(t, ctx, seed)
	x, y := center(t, ctx, `g.tensor[data-id="t2/v"]`)
	xa, ya := center(t, ctx, `g.tensor[data-id="t2/A"]`)
	held := func(p *input.DispatchMouseEventParams) { p.Buttons = 1 }
	run(t, ctx, "dragging v",
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1), held),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x+20, y+10, chromedp.ButtonLeft, held),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x+70, y+45, chromedp.ButtonLeft, held),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x+70, y+45, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	waitJS(t, ctx, "the pin in the text", `document.getElementById("editor").value.includes("@v(")`)
	pinned := eval[string](t, ctx, `document.getElementById("editor").value`)
	if !strings.HasPrefix(pinned, seed+" @") || !strings.Contains(pinned, "@A(") || !strings.Contains(pinned, "@B(") {
		t.Errorf("text after the drag: %q", pinned)
	}
	waitRendered(t, ctx, pinned)
	// Drawn again from the text, v is where it was dropped relative to A,
	// to the pin grid (a tenth of a cell, 6.4 units at the page's zoom).
	x2, y2 := center(t, ctx, `g.tensor[data-id="t2/v"]`)
	xa2, ya2 := center(t, ctx, `g.tensor[data-id="t2/A"]`)
	zoom := eval[float64](t, ctx, `window.strandStudio.view.scale`)
	dx, dy := (x2-xa2)-(x+70-xa), (y2-ya2)-(y+45-ya)
	t.Logf("v dropped 70, 45 px away; drawn again %.1f, %.1f px off that, relative to A", dx, dy)
	if math.Hypot(dx, dy) > pinStep*64*zoom {
		t.Errorf("v is drawn %.1f, %.1f px away from where it was dropped", dx, dy)
	}
	shot(t, ctx, "4-dragged")

	// The step slider marks the pair contracted at each step.
	run(t, ctx, "moving the slider", chromedp.SetValue(chromedp.ID("step"), "2"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("step").dispatchEvent(new Event("input"))`))
	hl := eval[[]string](t, ctx, `[...document.querySelectorAll("#canvas .hl-a, #canvas .hl-b")].map(g => g.dataset.id)`)
	if len(hl) != 3 {
		t.Errorf("step 2 of 2 highlights %v, want all three tensors", hl)
	}
	shot(t, ctx, "5-contraction-step")

	// Upload A as a .npy file: the numbers use it, and its shape fixes the
	// sizes of i, α and β, which are no longer assumed.
	A := tensor.RandNormal[float64](tensor.NewRand(4), 3, 4, 5)
	npyPath := filepath.Join(t.TempDir(), "A.npy")
	if err := tensorio.WriteFile(npyPath, A, tensorio.Options{}); err != nil {
		t.Fatal(err)
	}
	typeText(t, ctx, seed)
	waitRendered(t, ctx, seed)
	waitJS(t, ctx, "the inputs table", `!!document.querySelector('#inputs button[data-upload="A"]')`)
	run(t, ctx, "uploading A", chromedp.Click(chromedp.CSS(`#inputs button[data-upload="A"]`)),
		chromedp.SetUploadFiles(chromedp.ID("upload"), []string{npyPath}))
	waitJS(t, ctx, "the uploaded A", `document.getElementById("inputs").textContent.includes("uploaded .npy") &&
		document.getElementById("assumed").textContent.includes("j=2") && !document.getElementById("assumed").textContent.includes("i=2")`)
	if inputs := eval[string](t, ctx, `document.getElementById("inputs").textContent`); !strings.Contains(inputs, "(3, 4, 5)") {
		t.Errorf("inputs %q", inputs)
	}
	waitJS(t, ctx, "M of shape (3, 2)", `document.getElementById("results").textContent.includes("shape (3, 2)")`)
	shot(t, ctx, "6-uploaded")

	// Export SVG and TikZ.
	for _, c := range []struct{ format, file, start string }{{"svg", "strand.svg", "<svg "}, {"tikz", "strand.tex", `\documentclass`}} {
		run(t, ctx, "export "+c.format, chromedp.Click(chromedp.CSS(`#exports button[data-format="`+c.format+`"]`)))
		path := filepath.Join(downloads, c.file)
		var b []byte
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if b, _ = os.ReadFile(path); len(b) > 0 {
				break
			}
		}
		if !strings.HasPrefix(string(b), c.start) || !strings.Contains(string(b), "v") {
			t.Errorf("export %s: %d bytes in %s: %.80q", c.format, len(b), path, b)
		}
	}

	// Open a gallery item.
	run(t, ctx, "opening the ladder", chromedp.Click(chromedp.CSS(`#gallery li[data-name="ladder"]`)))
	waitRendered(t, ctx, ladder.Text)
	n := eval[int](t, ctx, `document.querySelectorAll("#canvas svg g.tensor:not(.delta)").length`)
	if n < 10 {
		t.Errorf("the ladder has %d tensors drawn, want 10", n)
	}
	shot(t, ctx, "7-gallery-ladder")

	// A link carries the text in its fragment.
	run(t, ctx, "copying the link", chromedp.Click(chromedp.ID("copy-link")))
	link := eval[string](t, ctx, `location.href`)
	if !strings.Contains(link, "#t=") {
		t.Fatalf("link %q", link)
	}
	run(t, ctx, "opening the link", chromedp.Navigate("about:blank"), chromedp.Navigate(link), chromedp.WaitVisible(editorID))
	waitRendered(t, ctx, ladder.Text)
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// center returns the centre of an element of the diagram, in CSS pixels.
func center(t *testing.T, ctx context.Context, sel string) (float64, float64) {
	t.Helper()
	p := eval[[]float64](t, ctx, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2]; })()`, "#canvas "+sel))
	return p[0], p[1]
}

func hoverOver(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	x, y := center(t, ctx, sel)
	run(t, ctx, "hovering", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y))
	waitJS(t, ctx, "the hover box", `!document.getElementById("hover").hidden`)
}

// chainText is a matrix product of n tensors.
func chainText(n int) string {
	var b strings.Builder
	b.WriteString("M[l0 l" + fmt.Sprint(n) + "] =")
	for k := range n {
		fmt.Fprintf(&b, " T%d[l%d l%d]", k+1, k, k+1)
	}
	return b.String()
}

// keystrokeLatencies loads text, then types n keystrokes at its end (a
// space, then a backspace, alternately), waiting for each to be rendered,
// and returns the page's measured delay from keystroke to rendered diagram.
func keystrokeLatencies(t *testing.T, ctx context.Context, text string, n int) []float64 {
	t.Helper()
	typeText(t, ctx, text)
	waitRendered(t, ctx, text)
	run(t, ctx, "resetting the latencies", chromedp.Evaluate[chromedp.Void](`window.strandStudio.latencies = []`))
	for k := range n {
		key, want := " ", text+" "
		if k%2 == 1 {
			key, want = kb.Backspace, text
		}
		run(t, ctx, "typing a key", chromedp.SendKeys(editorID, key))
		waitRendered(t, ctx, want)
		waitJS(t, ctx, "the latency", fmt.Sprintf(`window.strandStudio.latencies.length >= %d`, k+1))
	}
	return eval[[]float64](t, ctx, `window.strandStudio.latencies`)
}
