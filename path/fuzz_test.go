package path

import (
	"testing"
)

// problemFromBytes decodes a small problem: a byte per input for its labels (a
// bit mask over 8 labels), one for the output mask and one per label for sizes.
func problemFromBytes(data []byte) Problem {
	if len(data) < 10 {
		return Problem{}
	}
	n := 1 + int(data[0])%7
	if len(data) < 2+n+8 {
		return Problem{}
	}
	p := Problem{Sizes: make([]int, 8)}
	for l := range p.Sizes {
		p.Sizes[l] = 1 + int(data[2+n+l])%4
	}
	used := 0
	for k := 0; k < n; k++ {
		mask := int(data[2+k])
		used |= mask
		var in []int
		for l := 0; l < 8; l++ {
			if mask&(1<<l) != 0 {
				in = append(in, l)
			}
		}
		p.Inputs = append(p.Inputs, in)
	}
	for l := 0; l < 8; l++ {
		if int(data[1])&used&(1<<l) != 0 {
			p.Output = append(p.Output, l)
		}
	}
	return p
}

// FuzzOptimize checks that every method returns a complete path whose reported
// cost matches PathCost and is never below the exact optimum, with and without a
// memory limit.
func FuzzOptimize(f *testing.F) {
	f.Add([]byte{3, 0x01, 0x03, 0x06, 0x0c, 1, 2, 3, 4, 1, 2, 3, 4, 0})
	f.Add([]byte{6, 0xff, 0x00, 0x11, 0x11, 0x22, 0x81, 0xff, 0x40, 3, 3, 3, 3, 3, 3, 3, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := problemFromBytes(data)
		if p.Validate() != nil {
			return
		}
		_, best, err := Optimize(p, Options{Method: "optimal"})
		if err != nil {
			t.Fatal(err)
		}
		limit := int64(0)
		if len(data) > 0 && data[len(data)-1]%2 == 1 {
			limit = int64(data[len(data)-1])
		}
		for _, meth := range []string{"greedy", "dp", "branch", "random-greedy", "auto"} {
			path, info, err := Optimize(p, Options{Method: meth, Repeats: 3, MemoryLimit: limit})
			if err != nil {
				if limit > 0 && newModel(p).checkLimit(limit) != nil {
					continue
				}
				t.Fatalf("%v %s: %v", p, meth, err)
			}
			c, err := PathCost(p.withSliced(info.Sliced), path)
			if err != nil {
				t.Fatalf("%v %s: %v", p, meth, err)
			}
			if c != info.Cost() {
				t.Fatalf("%v %s: %+v vs %+v", p, meth, c, info.Cost())
			}
			if limit == 0 && info.Flops.Cmp(best.Flops) < 0 {
				t.Fatalf("%v %s: %v below the optimum %v", p, meth, info.Flops, best.Flops)
			}
			if limit > 0 && info.Largest.Int64() > limit {
				t.Fatalf("%v %s: largest %v over the limit %d", p, meth, info.Largest, limit)
			}
		}
	})
}

// FuzzPathFormats feeds arbitrary paths to the checker and the SSA conversions:
// they must accept exactly the complete paths and round-trip them.
func FuzzPathFormats(f *testing.F) {
	f.Add(uint8(4), []byte{0, 3, 1, 2, 0, 1})
	f.Add(uint8(3), []byte{1, 1, 0, 1})
	f.Fuzz(func(t *testing.T, n uint8, data []byte) {
		var path Path
		for i := 0; i+1 < len(data); i += 2 {
			if data[i] == data[i+1] {
				path = append(path, []int{int(data[i])})
			} else {
				path = append(path, []int{int(data[i]), int(data[i+1])})
			}
		}
		ssa, err := path.SSA(int(n))
		if (err == nil) != (path.Check(int(n)) == nil) {
			t.Fatalf("SSA and Check disagree on %v over %d", path, n)
		}
		if err != nil {
			return
		}
		back, err := FromSSA(ssa, int(n))
		if err != nil {
			t.Fatal(err)
		}
		for s := range path {
			a, b := append([]int(nil), path[s]...), back[s]
			if len(a) == 2 && a[0] > a[1] {
				a[0], a[1] = a[1], a[0]
			}
			if len(a) != len(b) || a[0] != b[0] || len(a) == 2 && a[1] != b[1] {
				t.Fatalf("round trip %v -> %v -> %v", path, ssa, back)
			}
		}
		p := Problem{Inputs: make([][]int, n)}
		if _, err := PathCost(p, path); err != nil {
			t.Fatalf("valid path %v over %d rejected: %v", path, n, err)
		}
	})
}
