// Package peers times the comparison library against other implementations
// of the same tests on the same data. It is its own module so that the
// library never depends on the peers: github.com/aclements/go-moremath is
// required here only. See ../BENCHMARKS.md.
package peers

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unsafe"
)

// DataDir is where `go test ./compare -run TestWriteBenchData -benchdata DIR`
// wrote the samples: $CHAOSSTAT_BENCHDATA, or /tmp/chaosbench.
func DataDir() string {
	if d := os.Getenv("CHAOSSTAT_BENCHDATA"); d != "" {
		return d
	}
	return "/tmp/chaosbench"
}

// Load reads DIR/<set>.x.f64 and DIR/<set>.y.f64, little-endian float64.
// The files are read straight into the float64 slices (the benchmark
// machines are little-endian), so loading holds no second copy of the input.
func Load(dir, set string) (x, y []float64, err error) {
	if x, err = loadFile(filepath.Join(dir, set+".x.f64")); err != nil {
		return nil, nil, err
	}
	if y, err = loadFile(filepath.Join(dir, set+".y.f64")); err != nil {
		return nil, nil, err
	}
	return x, y, nil
}

func loadFile(name string) ([]float64, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%w (write the data first: go test ./compare -run TestWriteBenchData -benchdata DIR, and set CHAOSSTAT_BENCHDATA=DIR)", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size()%8 != 0 || st.Size() == 0 {
		return nil, fmt.Errorf("%s: %d bytes is not a positive whole number of float64s", name, st.Size())
	}
	v := make([]float64, st.Size()/8)
	if _, err := io.ReadFull(f, unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), st.Size())); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}
