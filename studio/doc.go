// Package studio is strand's web app: a single page where notation text is
// typed on the left and its diagram, numbers and contraction order appear on
// the right as you type. `strand serve` runs it.
//
// The page is plain HTML, CSS and JavaScript embedded in the binary
// (go:embed); everything it shows is computed here, by the library packages
// the command-line tools use, and sent as JSON:
//
//	GET  /                 the page (static/index.html, app.js, app.css)
//	GET  /api/examples     the gallery: every network of package examples
//	POST /api/analyze      text → form, errors with positions, and per
//	                       statement: SVG diagram, tensor and leg metadata,
//	                       contraction order with its cost table
//	POST /api/eval         text, seed, uploaded .npy inputs → values and
//	                       equation checks
//	POST /api/move         text, a dragged tensor and its new centre → the
//	                       text with the pin @A(x, y) written into it
//	POST /api/export       text, statement, format → SVG, TikZ, PNG, JSON
//	                       scene or canonical notation
//
// The text is the single source of truth: dragging a tensor rewrites its pin
// in the text, and a shared link carries the text in the URL fragment, so
// the server keeps no state between requests.
//
// # Safety
//
// A Server reads nothing from the file system; uploads are held in memory.
// Every request body is capped (Options.MaxBody, 8 MiB by default). Work on
// a request runs under a time budget (Options.Timeout) and, for evaluation,
// a budget of floating-point operations estimated from the contraction path
// before any work starts (Options.MaxFlops) and a memory limit on every
// tensor it makes (Options.MemoryLimit); a request over a budget gets a
// clear error and the server carries on. At most Options.Workers requests
// compute at once, and a computation that outlives its request still holds
// its slot until it ends, so slow requests cannot pile up. A panic in the
// library is turned into an error for that request. POST requests must
// carry the header "X-Strand: 1", which a cross-site form cannot send, so
// another web page cannot make the studio compute.
package studio
