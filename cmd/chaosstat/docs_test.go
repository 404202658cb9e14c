package main

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A quoted run is a command a page shows with what it prints, in a fenced
// block marked console:
//
//	```console
//	$ chaosstat compare --control testdata/taxi_control.csv \
//	    --experiment testdata/taxi_experiment.csv; echo $?
//	experiment  testdata/taxi_experiment.csv  n = 12
//	...
//	1
//	```
//
// A line that starts with "$ " is a command (a trailing " \" continues it on
// the next line); the lines up to the next command or the end of the block
// are what it prints, stdout then stderr, as a terminal shows them. A command
// that ends in "; echo $?" also prints its exit code last. Paths are relative
// to the repository's root. Commands are split on spaces: quotes, pipes and
// other shell syntax are refused, so what the page shows is what runs.
type quotedRun struct {
	page, line string // where the command is, "docs/aa.md:12"
	args       []string
	checkExit  bool
	want       string
}

// quotedRuns returns the quoted runs of README.md and every page under docs,
// read from root.
func quotedRuns(t *testing.T, root string) []quotedRun {
	t.Helper()
	pages := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, _ := filepath.Rel(root, path)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var runs []quotedRun
	for _, page := range pages {
		b, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, parseQuotedRuns(t, page, string(b))...)
	}
	return runs
}

// parseQuotedRuns returns the quoted runs of one page's text.
func parseQuotedRuns(t *testing.T, page, text string) []quotedRun {
	t.Helper()
	var runs []quotedRun
	var cur *quotedRun
	var out strings.Builder
	inBlock, continued := false, false
	flush := func() {
		if cur != nil {
			cur.want = out.String()
			runs = append(runs, *cur)
		}
		cur, continued = nil, false
		out.Reset()
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		where := page + ":" + strconv.Itoa(n)
		switch {
		case !inBlock:
			inBlock = line == "```console"
		case line == "```":
			flush()
			inBlock = false
		case continued:
			cmd := strings.TrimSpace(line)
			continued = strings.HasSuffix(cmd, `\`)
			cur.args = append(cur.args, commandArgs(t, where, cmd, cur)...)
		case strings.HasPrefix(line, "$ "):
			flush()
			cmd := strings.TrimPrefix(line, "$ ")
			continued = strings.HasSuffix(cmd, `\`)
			name, rest, _ := strings.Cut(cmd, " ")
			if name != "chaosstat" {
				t.Errorf("%s: a console block runs chaosstat only, not %q", where, name)
			}
			cur = &quotedRun{page: page, line: where}
			cur.args = commandArgs(t, where, rest, cur)
		case cur == nil:
			t.Errorf("%s: output before the first $ command of a console block", where)
		default:
			out.WriteString(line + "\n")
		}
	}
	if inBlock {
		t.Errorf("%s: a console block does not end", page)
	}
	return runs
}

// commandArgs splits one line of a command on spaces, after taking off a
// continuation's " \" and a final "; echo $?" (which sets r.checkExit).
func commandArgs(t *testing.T, where, cmd string, r *quotedRun) []string {
	t.Helper()
	cmd = strings.TrimSuffix(cmd, `\`)
	if c, ok := strings.CutSuffix(strings.TrimSpace(cmd), "; echo $?"); ok {
		cmd, r.checkExit = c, true
	}
	if strings.ContainsAny(cmd, "'\"|;&<>$`*") {
		t.Errorf("%s: shell syntax in a quoted command (%s): the test splits on spaces only", where, cmd)
	}
	return strings.Fields(cmd)
}

// TestDocsQuotedOutput runs every command README.md and the pages under docs
// quote in a console block and compares what it prints, and its exit code
// when the page shows it, with the quote. A page that quotes output is
// checked, so it cannot drift from the program.
func TestDocsQuotedOutput(t *testing.T) {
	t.Chdir("../..") // the pages' paths are relative to the repository's root
	runs := quotedRuns(t, ".")
	if len(runs) < 8 {
		t.Fatalf("found %d quoted runs in README.md and docs; the command pages quote at least one each", len(runs))
	}
	for _, r := range runs {
		var stdout, stderr bytes.Buffer
		code := run(r.args, bytes.NewReader(nil), &stdout, &stderr)
		got := stdout.String() + stderr.String()
		if r.checkExit {
			got += strconv.Itoa(code) + "\n"
		}
		if got != r.want {
			t.Errorf("%s: chaosstat %s\nprints (stdout, stderr%s):\n%s\nthe page quotes:\n%s",
				r.line, strings.Join(r.args, " "), map[bool]string{true: ", exit code"}[r.checkExit], got, r.want)
		}
	}
}

// TestParseQuotedRuns checks the convention on a made-up page: a
// continued command, the exit code, two commands in a block, and blocks
// of other languages left alone.
func TestParseQuotedRuns(t *testing.T) {
	page := "intro\n```sh\n$ chaosstat demo\n```\n```console\n$ chaosstat compare --control a.csv \\\n    --experiment b.csv; echo $?\nline 1\n\n1\n$ chaosstat version\nchaosstat devel\n```\n"
	runs := parseQuotedRuns(t, "p.md", page)
	if len(runs) != 2 {
		t.Fatalf("got %d runs, want 2: %+v", len(runs), runs)
	}
	if got := strings.Join(runs[0].args, " "); got != "compare --control a.csv --experiment b.csv" || !runs[0].checkExit ||
		runs[0].want != "line 1\n\n1\n" || runs[0].line != "p.md:6" {
		t.Errorf("first run: %+v", runs[0])
	}
	if got := strings.Join(runs[1].args, " "); got != "version" || runs[1].checkExit || runs[1].want != "chaosstat devel\n" {
		t.Errorf("second run: %+v", runs[1])
	}
}
