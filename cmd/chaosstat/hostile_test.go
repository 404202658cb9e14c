package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestJudgeHypothesisStdin: "--hypothesis -" reads the hypothesis from
// stdin, as every other file flag reads "-"; its data files are then
// relative to the working directory, and errors name "stdin" and the line.
// held.yaml with its paths made relative to this directory gives the same
// verdict, table and exit code as the file itself.
func TestJudgeHypothesisStdin(t *testing.T) {
	const file = "testdata/judge/held.yaml"
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var want, wantErr bytes.Buffer
	wantCode := run([]string{"judge", "--hypothesis", file}, nil, &want, &wantErr)
	var out, errOut bytes.Buffer
	in := strings.ReplaceAll(string(b), "../../../../", "../../")
	code := run([]string{"judge", "--hypothesis", "-"}, strings.NewReader(in), &out, &errOut)
	if code != exitOK || code != wantCode || out.String() != want.String() {
		t.Errorf("stdin: exit %d (file: %d), stderr %q\n%s\nwant\n%s", code, wantCode, errOut.String(), out.String(), want.String())
	}

	out.Reset()
	errOut.Reset()
	code = run([]string{"judge", "--hypothesis", "-"}, strings.NewReader(string(b)), &out, &errOut)
	if code != exitUsage || out.Len() != 0 || !strings.HasPrefix(errOut.String(), "chaosstat judge: stdin:7: metrics[0].control: open ../../../../examples/") {
		t.Errorf("paths relative to the file's folder, read from stdin: exit %d, stderr %q", code, errOut.String())
	}
}
