package promtest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadGroups(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.om")
	os.WriteFile(good, []byte("# TYPE x gauge\nx{group=\"a\"} 1.5 60\nx{group=\"b\"} 2 60\nx{group=\"a\"} 3 120\n# EOF\n"), 0o644)
	got, err := ReadGroups(good)
	if err != nil {
		t.Fatal(err)
	}
	a := got["a"]
	if a.Name != "x" || a.Labels["group"] != "a" || !slices.Equal(a.T, []int64{60000, 120000}) || !slices.Equal(a.V, []float64{1.5, 3}) {
		t.Errorf("group a = %+v; want x{group=a} at 60 s and 120 s: 1.5, 3", a)
	}
	if len(got) != 2 || got["b"].Len() != 1 {
		t.Errorf("groups %v; want a (2 points) and b (1)", got)
	}

	bad := filepath.Join(dir, "bad.om")
	os.WriteFile(bad, []byte("x{group=\"a\"} 1 60\nx{job=\"a\"} 2 120\n"), 0o644)
	if _, err := ReadGroups(bad); err == nil || !strings.Contains(err.Error(), "bad.om:2:") {
		t.Errorf("a sample without the group label: error %v, want one naming bad.om:2", err)
	}
}
