package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // decoders for input images
	_ "image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/strand-tn/strand/contract"
	"github.com/strand-tn/strand/linalg"
	"github.com/strand-tn/strand/tensor"
)

func init() {
	register(&Command{
		Name:    "demo",
		Usage:   "svd-image [IMAGE.png] [--ranks 1,5,20,50] -o DIR",
		Summary: "demonstrations; svd-image compresses an image by truncated SVDs and plots the error against Eckart–Young",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			ranks := fs.String("ranks", "1,5,20,50", "svd-image: the ranks to keep, `R1,R2,…`")
			out := fs.String("o", "", "write the images, the plot and report.json to `DIR`")
			return func(env *Env, args []string) error {
				if len(args) == 0 {
					return usagef("demo needs a name: svd-image")
				}
				if args[0] != "svd-image" {
					return usagef("unknown demo %q (want svd-image)", args[0])
				}
				if len(args) > 2 {
					return usagef("svd-image takes at most one image")
				}
				if *out == "" {
					return usagef("svd-image needs -o DIR")
				}
				rs, err := parseRanks(*ranks)
				if err != nil {
					return err
				}
				path := ""
				if len(args) == 2 {
					path = args[1]
				}
				return runSVDImage(env, path, rs, *out)
			}
		},
	})
}

func parseRanks(s string) ([]int, error) {
	var rs []int
	for _, f := range splitList(s) {
		r, err := strconv.Atoi(f)
		if err != nil || r < 1 {
			return nil, usagef("--ranks: %q is not a positive integer", f)
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return nil, usagef("--ranks lists no rank")
	}
	slices.Sort(rs)
	return slices.Compact(rs), nil
}

// exactLimit is the largest image side compressed with the exact SVD; larger
// images use the randomized SVD for the vectors (the spectrum stays exact).
const exactLimit = 1024

// svdImageReport is saved as report.json.
type svdImageReport struct {
	Image  string `json:"image"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Method string `json:"method"` // exact or randomized
	Ranks  []int  `json:"ranks"`
	// RelativeError is ‖A − A_r‖_F/‖A‖_F over the three channels of the
	// rank-r reconstruction; EckartYoung is sqrt(Σ_c Σ_{i>r} σ_{c,i}²)/‖A‖_F,
	// the least possible; Quantized is the error after rounding to 8 bits.
	RelativeError []float64 `json:"relative_error"`
	EckartYoung   []float64 `json:"eckart_young"`
	Quantized     []float64 `json:"quantized_error"`
	// StoredFraction is r(h + w + 1)/(h·w): the numbers kept per channel.
	StoredFraction []float64   `json:"stored_fraction"`
	SingularValues [][]float64 `json:"singular_values"` // per channel R, G, B
	Files          []string    `json:"files"`
}

func runSVDImage(env *Env, path string, ranks []int, out string) error {
	img, name, err := loadImage(path)
	if err != nil {
		return err
	}
	b := img.Bounds()
	h, w := b.Dy(), b.Dx()
	if k := min(h, w); ranks[len(ranks)-1] > k {
		return fmt.Errorf("rank %d exceeds the image's smaller side (%d pixels)", ranks[len(ranks)-1], k)
	}
	channels := imageChannels(img)
	rep := &svdImageReport{Image: name, Width: w, Height: h, Method: "exact", Ranks: ranks}
	if max(h, w) > exactLimit {
		rep.Method = "randomized"
	}
	recon := make([][]*tensor.Dense[float64], len(ranks)) // [rank][channel]
	for i := range recon {
		recon[i] = make([]*tensor.Dense[float64], 3)
	}
	total := 0.0
	tails := make([]float64, min(h, w)+1) // Σ_c Σ_{i≥r} σ², r = 0…k
	for c, a := range channels {
		f, s, err := channelSVD(a, ranks[len(ranks)-1], rep.Method)
		if err != nil {
			return err
		}
		rep.SingularValues = append(rep.SingularValues, s)
		for r := len(s) - 1; r >= 0; r-- {
			tails[r] += s[r] * s[r]
		}
		for i, r := range ranks {
			if recon[i][c], err = lowRank(f, r); err != nil {
				return err
			}
		}
		n := a.Norm()
		total += n * n
	}
	// tails[r] holds Σ_c σ_{c,r}²; make it the tail sum Σ_c Σ_{i≥r} σ_{c,i}².
	for r := len(tails) - 2; r >= 0; r-- {
		tails[r] += tails[r+1]
	}
	if total == 0 {
		total = 1 // a black image: every error is 0
	}
	var images []image.Image
	for i, r := range ranks {
		diff, qdiff := 0.0, 0.0
		for c, a := range channels {
			d := tensor.Sub(a, recon[i][c]).Norm()
			diff += d * d
			q := tensor.Sub(a, recon[i][c].Map(quantize)).Norm()
			qdiff += q * q
		}
		rep.RelativeError = append(rep.RelativeError, math.Sqrt(diff/total))
		rep.Quantized = append(rep.Quantized, math.Sqrt(qdiff/total))
		rep.EckartYoung = append(rep.EckartYoung, math.Sqrt(tails[r]/total))
		rep.StoredFraction = append(rep.StoredFraction, float64(r*(h+w+1))/float64(h*w))
		images = append(images, channelsImage(recon[i]))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	write := func(file string, m image.Image) error {
		rep.Files = append(rep.Files, file)
		return writePNG(filepath.Join(out, file), m)
	}
	if err := write("original.png", channelsImage(channels)); err != nil {
		return err
	}
	for i, r := range ranks {
		if err := write(fmt.Sprintf("rank-%d.png", r), images[i]); err != nil {
			return err
		}
	}
	if err := write("svd-image.png", mosaic(channelsImage(channels), images, rep)); err != nil {
		return err
	}
	if err := write("svd-error.png", errorPlot(rep, tails, total)); err != nil {
		return err
	}
	rep.Files = append(rep.Files, "report.json")
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "report.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	printSVDImage(env.Stdout, rep, out)
	return nil
}

func printSVDImage(w io.Writer, rep *svdImageReport, out string) {
	fmt.Fprintf(w, "svd-image: %s, %d×%d, %s SVD of each colour channel\n", rep.Image, rep.Width, rep.Height, rep.Method)
	fmt.Fprintln(w, "rank  relative error  Eckart–Young  8-bit error  numbers kept")
	for i, r := range rep.Ranks {
		fmt.Fprintf(w, "%4d  %14.4g  %12.4g  %11.4g  %11.1f%%\n", r, rep.RelativeError[i], rep.EckartYoung[i], rep.Quantized[i], 100*rep.StoredFraction[i])
	}
	fmt.Fprintf(w, "wrote %s: %s\n", out, strings.Join(rep.Files, " "))
}

// loadImage decodes a PNG, JPEG or GIF file, or draws the built-in test
// image when path is empty.
func loadImage(path string) (image.Image, string, error) {
	if path == "" {
		return testImage(256, 256), "built-in test image", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() == 0 || b.Dy() == 0 {
		return nil, "", fmt.Errorf("%s: the image is empty", path)
	}
	return img, path, nil
}

// testImage draws a deterministic scene with structure at several ranks: a
// sky gradient (rank one per channel), a soft sun, striped mountains, a
// tilted checkerboard and large lettering.
func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fw, fh := float64(w), float64(h)
	for y := range h {
		for x := range w {
			u, v := float64(x)/fw, float64(y)/fh
			// Sky.
			r, g, b := 0.35+0.5*v, 0.55+0.35*v, 0.95-0.1*v
			// Sun with a soft edge.
			d := math.Hypot(u-0.72, v-0.24) / 0.11
			if s := math.Max(0, math.Min(1, (1.15-d)/0.3)); s > 0 {
				r, g, b = mix(r, 1, s), mix(g, 0.85, s), mix(b, 0.3, s)
			}
			// Mountains with diagonal strata.
			ridge := 0.55 - 0.18*math.Abs(math.Sin(3.1*u+0.4)) - 0.08*math.Sin(9*u)
			if v > ridge {
				stripe := 0.5 + 0.5*math.Sin(60*(u+0.6*v))
				r, g, b = 0.25+0.1*stripe, 0.35+0.12*stripe, 0.3+0.05*stripe
			}
			// Tilted checkerboard field.
			if v > 0.72 {
				cx := math.Floor(12 * (u + 0.35*(v-0.72)))
				cy := math.Floor(30 * (v - 0.72))
				if int(cx+cy)%2 == 0 {
					r, g, b = 0.85, 0.8, 0.35
				} else {
					r, g, b = 0.3, 0.55, 0.2
				}
			}
			img.Set(x, y, color.RGBA{to8(r), to8(g), to8(b), 255})
		}
	}
	face := labelFace(0.16 * fh)
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{40, 30, 90, 255}), Face: face}
	d.Dot = fixed.P(int(0.06*fw), int(0.2*fh))
	d.DrawString("strand")
	return img
}

func mix(a, b, t float64) float64 { return a + (b-a)*t }

func to8(v float64) uint8 { return uint8(math.Round(255 * math.Max(0, math.Min(1, v)))) }

func quantize(v float64) float64 { return float64(to8(v)) / 255 }

// imageChannels returns the red, green and blue channels as h×w matrices
// with values in [0, 1], transparent pixels composited over white.
func imageChannels(img image.Image) []*tensor.Dense[float64] {
	b := img.Bounds()
	h, w := b.Dy(), b.Dx()
	ch := []*tensor.Dense[float64]{tensor.Zeros[float64](h, w), tensor.Zeros[float64](h, w), tensor.Zeros[float64](h, w)}
	for y := range h {
		for x := range w {
			r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			white := 1 - float64(a)/0xffff
			for c, v := range []uint32{r, g, bl} {
				ch[c].Set(float64(v)/0xffff+white, y, x)
			}
		}
	}
	return ch
}

func channelsImage(ch []*tensor.Dense[float64]) *image.RGBA {
	h, w := ch[0].Dim(0), ch[0].Dim(1)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{to8(ch[0].At(y, x)), to8(ch[1].At(y, x)), to8(ch[2].At(y, x)), 255})
		}
	}
	return img
}

// channelSVD returns the leading singular triples of a (at least maxRank of
// them) and all its singular values.
func channelSVD(a *tensor.Dense[float64], maxRank int, method string) (linalg.SVDFactors, []float64, error) {
	if method == "exact" {
		f, err := linalg.SVD(a, linalg.SVDOptions{})
		return f, f.S, err
	}
	s, err := linalg.SVD(a, linalg.SVDOptions{Vectors: linalg.NoVectors})
	if err != nil {
		return linalg.SVDFactors{}, nil, err
	}
	f, err := linalg.RandomizedSVD(a, maxRank, linalg.RandomizedOptions{})
	return f, s.S, err
}

// lowRank returns Σ_{c<r} U[:, c] s_c V[:, c]ᵀ.
func lowRank(f linalg.SVDFactors, r int) (*tensor.Dense[float64], error) {
	u := f.U.Slice(1, 0, r, 1)
	v := f.V.Slice(1, 0, r, 1)
	s := tensor.MustFromSlice(f.S[:r:r], r)
	return contract.Einsum(contract.Spec{Inputs: [][]string{{"i", "a"}, {"a"}, {"j", "a"}}, Output: []string{"i", "j"}}, u, s, v)
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// labelFace returns the Go regular font at the given pixel size.
func labelFace(size float64) font.Face {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic(err) // the embedded font is valid
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic(err)
	}
	return face
}

var (
	ink   = color.RGBA{30, 30, 30, 255}
	faint = color.RGBA{215, 215, 215, 255}
	blue  = color.RGBA{31, 100, 180, 255}
	red   = color.RGBA{200, 50, 40, 255}
)

// text draws s with its baseline at y, starting at x (align 0), centred on x
// (align 1) or ending at x (align 2).
func text(dst draw.Image, face font.Face, s string, x, y int, col color.Color, align int) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(col), Face: face}
	wd := d.MeasureString(s).Round()
	d.Dot = fixed.P(x-align*wd/2, y)
	d.DrawString(s)
}

// mosaic places the original and the reconstructions side by side, each
// scaled to at most 320 pixels wide, with a caption under each.
func mosaic(orig image.Image, recon []image.Image, rep *svdImageReport) *image.RGBA {
	b := orig.Bounds()
	scale := (b.Dx() + 319) / 320
	pw, ph := b.Dx()/scale, b.Dy()/scale
	const gap, caption = 12, 46
	n := 1 + len(recon)
	out := image.NewRGBA(image.Rect(0, 0, gap+n*(pw+gap), gap+ph+caption))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	face := labelFace(14)
	small := labelFace(12)
	for i, img := range append([]image.Image{orig}, recon...) {
		x0 := gap + i*(pw+gap)
		draw.Draw(out, image.Rect(x0, gap, x0+pw, gap+ph), downscale(img, scale), image.Point{}, draw.Src)
		cx := x0 + pw/2
		if i == 0 {
			text(out, face, "original", cx, gap+ph+20, ink, 1)
			text(out, small, fmt.Sprintf("%d×%d pixels", rep.Width, rep.Height), cx, gap+ph+38, ink, 1)
			continue
		}
		text(out, face, fmt.Sprintf("rank %d", rep.Ranks[i-1]), cx, gap+ph+20, ink, 1)
		text(out, small, fmt.Sprintf("error %.1f%%, %.1f%% of the numbers", 100*rep.RelativeError[i-1], 100*rep.StoredFraction[i-1]), cx, gap+ph+38, ink, 1)
	}
	return out
}

// downscale averages scale×scale blocks of pixels.
func downscale(img image.Image, scale int) image.Image {
	if scale == 1 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx()/scale, b.Dy()/scale
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			var acc [3]uint32
			for dy := range scale {
				for dx := range scale {
					r, g, bl, _ := img.At(b.Min.X+x*scale+dx, b.Min.Y+y*scale+dy).RGBA()
					acc[0], acc[1], acc[2] = acc[0]+r, acc[1]+g, acc[2]+bl
				}
			}
			n := uint32(scale * scale * 257)
			out.Set(x, y, color.RGBA{uint8(acc[0] / n), uint8(acc[1] / n), uint8(acc[2] / n), 255})
		}
	}
	return out
}

// errorPlot draws the relative error against the rank on log–log axes: the
// Eckart–Young curve sqrt(Σ_{i>r} σᵢ²)/‖A‖ for every rank and the measured
// errors of the requested ranks as dots.
func errorPlot(rep *svdImageReport, tails []float64, total float64) *image.RGBA {
	const W, H = 760, 480
	const left, right, top, bottom = 86, 24, 44, 58
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	face, small := labelFace(15), labelFace(12)

	// The y axis spans the measured errors and two decades below the
	// smallest (at least down to 1e-3); the curve stops where it leaves it,
	// long before the tail sinks into rounding noise.
	ymin := 1.0
	for _, y := range rep.RelativeError {
		if y > 0 {
			ymin = math.Min(ymin, y)
		}
	}
	lo := math.Min(math.Floor(math.Log10(ymin))-2, -3)
	hi := 0.0
	var xs []int
	var ys []float64
	for r := 1; r < len(tails)-1; r++ {
		y := math.Sqrt(tails[r] / total)
		if y < math.Pow(10, lo) {
			break
		}
		xs = append(xs, r)
		ys = append(ys, y)
	}
	xmax := math.Max(2, float64(len(tails)-1))
	px := func(x float64) int {
		return left + int(math.Round(math.Log10(x)/math.Log10(xmax)*float64(W-left-right)))
	}
	py := func(y float64) int {
		return top + int(math.Round((hi-math.Log10(y))/(hi-lo)*float64(H-top-bottom)))
	}

	// Grid, ticks and tick labels.
	for e := lo; e <= hi; e++ {
		y := py(math.Pow(10, e))
		line(img, left, y, W-right, y, faint, 1)
		text(img, small, fmt.Sprintf("1e%d", int(e)), left-8, y+4, ink, 2)
	}
	for _, m := range []float64{1, 2, 5} {
		for p := 1.0; m*p <= xmax; p *= 10 {
			x := px(m * p)
			line(img, x, top, x, H-bottom, faint, 1)
			text(img, small, strconv.Itoa(int(m*p)), x, H-bottom+16, ink, 1)
		}
	}
	line(img, left, top, left, H-bottom, ink, 1)
	line(img, left, H-bottom, W-right, H-bottom, ink, 1)

	// The curve and the measured points.
	for i := 1; i < len(xs); i++ {
		line(img, px(float64(xs[i-1])), py(ys[i-1]), px(float64(xs[i])), py(ys[i]), blue, 2)
	}
	for i, r := range rep.Ranks {
		if y := rep.RelativeError[i]; y > 0 && r < len(tails)-1 {
			x, yy := px(float64(r)), py(y)
			disc(img, x, yy, 5, red)
			text(img, small, fmt.Sprintf("r=%d: %.2g", r, y), x+8, yy-8, red, 0)
		}
	}

	// Title, axis labels and legend.
	text(img, face, "Relative error of rank-r approximations, "+rep.Image, W/2, 26, ink, 1)
	text(img, face, "rank r", (left+W-right)/2, H-16, ink, 1)
	ylabel := "||A − A_r||_F / ||A||_F"
	vertical(img, face, ylabel, 22, (top+H-bottom)/2)
	lx, ly := left+16, H-bottom-40
	line(img, lx, ly-5, lx+28, ly-5, blue, 2)
	text(img, small, "Eckart–Young: sqrt(Σ_{i>r} σ_i²) / ||A||_F, the least possible", lx+36, ly, ink, 0)
	disc(img, lx+14, ly+17, 5, red)
	text(img, small, "measured, rank-r SVD of each channel", lx+36, ly+22, ink, 0)
	return img
}

// line draws a segment of the given thickness (Bresenham).
func line(img *image.RGBA, x0, y0, x1, y1 int, col color.RGBA, width int) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		for i := range width {
			for j := range width {
				img.SetRGBA(x0+i-width/2, y0+j-width/2, col)
			}
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		} else {
			e += dx
			y0 += sy
		}
	}
}

func disc(img *image.RGBA, cx, cy, r int, col color.RGBA) {
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			if x*x+y*y <= r*r {
				img.SetRGBA(cx+x, cy+y, col)
			}
		}
	}
}

// vertical draws s rotated a quarter turn counter-clockwise, centred on (x, y).
func vertical(dst *image.RGBA, face font.Face, s string, x, y int) {
	d := font.Drawer{Face: face}
	w := d.MeasureString(s).Round()
	m := face.Metrics()
	h := (m.Ascent + m.Descent).Ceil()
	tmp := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(tmp, tmp.Bounds(), image.White, image.Point{}, draw.Src)
	text(tmp, face, s, 0, m.Ascent.Ceil(), ink, 0)
	for ty := range h {
		for tx := range w {
			dst.Set(x-h/2+ty, y+w/2-tx, tmp.At(tx, ty))
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
