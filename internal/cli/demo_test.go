package cli

import (
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readReport(t *testing.T, dir string) svdImageReport {
	t.Helper()
	var rep svdImageReport
	js, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// The built-in image: the rank-r errors decrease, equal the Eckart–Young
// optimum sqrt(Σ_{i>r} σᵢ²)/‖A‖ to 1e-12, and every output is a valid PNG.
func TestDemoSVDImage(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := strandRun("demo", "svd-image", "--ranks", "20,1,5", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Eckart–Young") {
		t.Errorf("report:\n%s", stdout)
	}
	rep := readReport(t, dir)
	if rep.Width != 256 || rep.Height != 256 || rep.Method != "exact" || len(rep.Ranks) != 3 || rep.Ranks[0] != 1 {
		t.Fatalf("report %+v", rep)
	}
	for i, r := range rep.Ranks {
		if math.Abs(rep.RelativeError[i]-rep.EckartYoung[i]) > 1e-12 {
			t.Errorf("rank %d: error %.15g, Eckart–Young %.15g", r, rep.RelativeError[i], rep.EckartYoung[i])
		}
		if math.Abs(rep.Quantized[i]-rep.RelativeError[i]) > 0.01 {
			t.Errorf("rank %d: 8-bit error %g far from %g", r, rep.Quantized[i], rep.RelativeError[i])
		}
		if want := float64(r*(256+256+1)) / (256 * 256); math.Abs(rep.StoredFraction[i]-want) > 1e-15 {
			t.Errorf("rank %d: stored fraction %g, want %g", r, rep.StoredFraction[i], want)
		}
		if i > 0 && !(rep.RelativeError[i] < rep.RelativeError[i-1]) {
			t.Errorf("error does not decrease from rank %d to %d", rep.Ranks[i-1], r)
		}
	}
	if len(rep.SingularValues) != 3 || len(rep.SingularValues[0]) != 256 {
		t.Errorf("singular values %d × %d", len(rep.SingularValues), len(rep.SingularValues[0]))
	}
	sizes := map[string][2]int{
		"original.png":  {256, 256},
		"rank-5.png":    {256, 256},
		"svd-image.png": {12 + 4*(256+12), 12 + 256 + 46},
		"svd-error.png": {760, 480},
	}
	for name, size := range sizes {
		b := decodePNG(t, filepath.Join(dir, name)).Bounds()
		if b.Dx() != size[0] || b.Dy() != size[1] {
			t.Errorf("%s is %d×%d, want %d×%d", name, b.Dx(), b.Dy(), size[0], size[1])
		}
	}
	// rank-20.png is the rank-20 reconstruction: its error against
	// original.png is the 8-bit error of the report (rounding aside).
	orig, r20 := decodePNG(t, filepath.Join(dir, "original.png")), decodePNG(t, filepath.Join(dir, "rank-20.png"))
	var diff, norm float64
	for y := range 256 {
		for x := range 256 {
			a := color.NRGBAModel.Convert(orig.At(x, y)).(color.NRGBA)
			b := color.NRGBAModel.Convert(r20.At(x, y)).(color.NRGBA)
			for _, p := range [][2]uint8{{a.R, b.R}, {a.G, b.G}, {a.B, b.B}} {
				d := float64(p[0]) - float64(p[1])
				diff += d * d
				norm += float64(p[0]) * float64(p[0])
			}
		}
	}
	if e := math.Sqrt(diff / norm); math.Abs(e-rep.Quantized[2]) > 0.005 {
		t.Errorf("rank-20.png differs from original.png by %g, report says %g", e, rep.Quantized[2])
	}
}

// A user image (non-square, partly transparent) goes through as well; a
// rank-one image is reproduced exactly at rank 1.
func TestDemoUserImage(t *testing.T) {
	dir := t.TempDir()
	img := image.NewNRGBA(image.Rect(0, 0, 60, 40))
	for y := range 40 {
		for x := range 60 {
			v := uint8(3 * x * (y + 1) / 8)
			img.SetNRGBA(x, y, color.NRGBA{v, v / 2, 200, 255})
		}
	}
	img.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 0})
	path := filepath.Join(dir, "in.png")
	if err := writePNG(path, img); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, _, stderr := strandRun("demo", "svd-image", path, "--ranks", "1,2,40", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep := readReport(t, out)
	if rep.Width != 60 || rep.Height != 40 || rep.Image != path {
		t.Errorf("report %+v", rep)
	}
	if last := rep.RelativeError[2]; !(last < 1e-12) {
		t.Errorf("full rank leaves error %g", last)
	}
}

func TestDemoErrors(t *testing.T) {
	dir := t.TempDir()
	notImage := filepath.Join(dir, "x.png")
	os.WriteFile(notImage, []byte("not an image"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"demo"}, 2, "needs a name"},
		{[]string{"demo", "mandelbrot", "-o", dir}, 2, "unknown demo"},
		{[]string{"demo", "svd-image"}, 2, "needs -o"},
		{[]string{"demo", "svd-image", "--ranks", "0", "-o", dir}, 2, "not a positive integer"},
		{[]string{"demo", "svd-image", "--ranks", "", "-o", dir}, 2, "no rank"},
		{[]string{"demo", "svd-image", "a.png", "b.png", "-o", dir}, 2, "at most one image"},
		{[]string{"demo", "svd-image", "--ranks", "300", "-o", dir}, 1, "exceeds"},
		{[]string{"demo", "svd-image", filepath.Join(dir, "missing.png"), "-o", dir}, 1, "missing.png"},
		{[]string{"demo", "svd-image", notImage, "-o", dir}, 1, "x.png"},
	} {
		code, _, stderr := strandRun(c.args...)
		if code != c.code || !strings.HasPrefix(stderr, "strand: ") || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, stderr, c.code, c.msg)
		}
	}
}
