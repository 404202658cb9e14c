package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestREADMEDemoSummary keeps the demo summary quoted at the top of the
// repository's README equal to what chaosstat demo prints, so the first
// thing a newcomer reads cannot drift from what they will see.
func TestREADMEDemoSummary(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const head = "== In short ==\n"
	i := bytes.Index(readme, []byte(head))
	if i < 0 {
		t.Fatal("README.md quotes no demo summary (== In short ==)")
	}
	j := bytes.Index(readme[i:], []byte("```"))
	if j < 0 {
		t.Fatal("README.md: the demo summary's code block does not end")
	}
	quoted := string(readme[i : i+j])

	out, errOut, code := demoRun(t)
	if code != exitOK {
		t.Fatalf("demo exit %d\n%s", code, errOut)
	}
	k := strings.Index(out, head)
	if k < 0 {
		t.Fatal("demo printed no summary (== In short ==)")
	}
	if got := out[k:]; got != quoted {
		t.Errorf("README.md's demo summary differs from the demo's; paste this into it:\n%s--- README has:\n%s", got, quoted)
	}
}
