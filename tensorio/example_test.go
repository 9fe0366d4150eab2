package tensorio_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/strand-tn/strand/tensor"
	"github.com/strand-tn/strand/tensorio"
)

func ExampleWriteNPY() {
	x := tensor.MustFromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	var buf bytes.Buffer
	if err := tensorio.WriteNPY(&buf, x); err != nil {
		log.Fatal(err)
	}
	h, err := tensorio.ReadNPYHeader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.Major, h.DType, h.Shape, h.DataOffset, buf.Len())
	// Output: 1 float64 [2 3] 128 176
}

func ExampleReadNPY() {
	var buf bytes.Buffer
	x := tensor.MustFromSlice([]float64{0.5, 1.5, 2.5}, 3)
	if err := tensorio.WriteNPYWith(&buf, x, tensorio.Options{DType: tensorio.Float16}); err != nil {
		log.Fatal(err)
	}
	y, err := tensorio.ReadNPY[float32](&buf) // stored <f2, read as float32
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(y)
	// Output: [0.5, 1.5, 2.5]
}

func ExampleReadNPY_complex() {
	var buf bytes.Buffer
	z := tensor.MustFromSlice([]complex128{1, 2 + 1i}, 2)
	if err := tensorio.WriteNPY(&buf, z); err != nil {
		log.Fatal(err)
	}
	_, err := tensorio.ReadNPY[float64](&buf)
	fmt.Println(err)
	// Output: tensorio: npy: element 1 ((2+1i)) has a non-zero imaginary part; complex data converts to a real type only when every imaginary part is zero
}

func ExampleOpenSafetensors() {
	weights := map[string]*tensor.Dense[float32]{
		"wte.weight":  tensor.Arange[float32](12).MustReshape(4, 3),
		"ln_f.weight": tensor.Zeros[float32](3).Fill(1),
	}
	var buf bytes.Buffer
	opt := tensorio.Options{DType: tensorio.BFloat16, Metadata: map[string]string{"format": "pt"}}
	if err := tensorio.WriteSafetensors(&buf, weights, opt); err != nil {
		log.Fatal(err)
	}
	s, err := tensorio.OpenSafetensors(bytes.NewReader(buf.Bytes()), int64(buf.Len()), tensorio.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range s.Names() {
		info, _ := s.Info(name)
		fmt.Println(name, info.DType, info.Shape)
	}
	wte, err := tensorio.Get[float64](s, "wte.weight") // reads only this tensor's bytes
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(wte.At(3, 2), s.Metadata()["format"])
	// Output:
	// ln_f.weight bfloat16 [3]
	// wte.weight bfloat16 [4 3]
	// 11 pt
}

func ExampleWriteFileAll() {
	dir, err := os.MkdirTemp("", "tensorio")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "model.npz")
	tensors := map[string]*tensor.Dense[float64]{
		"w": tensor.Eye[float64](2),
		"b": tensor.MustFromSlice([]float64{0.5, -0.5}, 2),
	}
	if err := tensorio.WriteFileAll(name, tensors, tensorio.Options{}); err != nil {
		log.Fatal(err)
	}
	all, err := tensorio.ReadFileAll[float64](name, tensorio.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(all["w"], all["b"])
	// Output: [[1, 0], [0, 1]] [0.5, -0.5]
}

func ExampleReadFile_errors() {
	dir, err := os.MkdirTemp("", "tensorio")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "x.npy")
	if err := tensorio.WriteFile(name, tensor.Zeros[float64](3, 4), tensorio.Options{}); err != nil {
		log.Fatal(err)
	}
	if err := os.Truncate(name, 128+40); err != nil { // keep the header and 40 data bytes
		log.Fatal(err)
	}
	_, err = tensorio.ReadFile[float64](name, tensorio.Options{})
	fmt.Println(strings.Replace(err.Error(), dir+string(filepath.Separator), "", 1))
	// Output: tensorio: x.npy: header says shape (3, 4) of <f8 (96 bytes) but only 40 bytes follow
}
