package tensorio

import (
	"fmt"
	"strings"

	"github.com/strand-tn/strand/tensor"
)

// Info describes one stored tensor without its data.
type Info struct {
	Name  string
	DType DType // stored element type
	Shape []int
}

// Archive is a set of named tensors whose headers have been read and whose
// data is read on demand: an opened .npz ([OpenNPZ]) or .safetensors
// ([OpenSafetensors]) file, or any file opened with [OpenFile]. Read tensors
// with [Get] or [ReadAll].
type Archive interface {
	// Names lists the tensors in file order.
	Names() []string
	// Info describes the named tensor; ok is false if there is none.
	Info(name string) (info Info, ok bool)

	// source positions a reader at the named tensor's data; done finishes
	// the read (checksums) and releases it.
	source(name string) (s *source, done func() error, err error)
	// label names the archive in messages.
	label() string
	// limit is the memory limit in bytes (−1: none).
	limit() int64
}

// Get reads one tensor from a and converts it to element type T (the rules of
// [ReadNPYWith]); only that tensor's bytes are read.
func Get[T tensor.Elem](a Archive, name string) (*tensor.Dense[T], error) {
	return get[T](a, name, a.limit())
}

func get[T tensor.Elem](a Archive, name string, limit int64) (*tensor.Dense[T], error) {
	if _, ok := a.Info(name); !ok {
		return nil, notFound(a, name)
	}
	s, done, err := a.source(name)
	if err != nil {
		return nil, err
	}
	t, err := decode[T](s, limit)
	if derr := done(); err == nil {
		err = derr
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ReadAll reads every tensor of a, converted to T. The memory limit applies to
// the total, which is checked before anything is read.
func ReadAll[T tensor.Elem](a Archive) (map[string]*tensor.Dense[T], error) {
	names := a.Names()
	if limit := a.limit(); limit >= 0 {
		var total int64
		for _, n := range names {
			info, _ := a.Info(n)
			k, _ := tensor.SizeOf(info.Shape)
			if int64(k) > (limit-total)/elemSize[T]() {
				return nil, &Error{Name: a.label(), Offset: -1, Err: ErrTooLarge,
					Msg: fmt.Sprintf("its %d tensors as %s need over %d bytes, the limit (Options.MaxBytes)", len(names), DTypeOf[T](), limit)}
			}
			total += int64(k) * elemSize[T]()
		}
	}
	out := make(map[string]*tensor.Dense[T], len(names))
	for _, n := range names {
		t, err := get[T](a, n, -1)
		if err != nil {
			return nil, err
		}
		out[n] = t
	}
	return out, nil
}

func notFound(a Archive, name string) error {
	names := a.Names()
	list := strings.Join(names, ", ")
	if len(names) > 8 {
		list = strings.Join(names[:8], ", ") + ", …"
	}
	return errorf(a.label(), -1, "no tensor named %q (it holds %d: %s)", name, len(names), list)
}
