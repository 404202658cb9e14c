package series

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ReadFile reads the one series in the file at path: a Prometheus
// query_range response (see ReadPromJSON) if the name ends in ".json" (in
// any case), CSV (see ReadCSV) otherwise. The path "-" reads stdin instead,
// which callers pass in (usually os.Stdin; tests pass a strings.Reader);
// its format is told from the content, JSON if the first character that is
// not white space is '{', and errors name it "stdin".
//
// A JSON file holding more than one series is an error saying how many it
// holds, naming the first three, and how to narrow the query to one (or
// read them all with ReadFileAll). A file that cannot be opened
// gives os.Open's error (a *fs.PathError); errors in the data are the
// readers'.
func ReadFile(path string, stdin io.Reader) (Series, error) {
	all, err := ReadFileAll(path, stdin)
	if err != nil {
		return Series{}, err
	}
	if len(all) != 1 {
		ids := make([]string, 0, 3)
		for _, s := range all[:min(len(all), 3)] {
			ids = append(ids, s.ident())
		}
		if len(all) > 3 {
			ids = append(ids, "...")
		}
		return Series{}, fmt.Errorf("%s: holds %d series (%s); want exactly one: narrow the query to one series, with a label matcher or an aggregation such as sum(...)",
			displayName(path), len(all), strings.Join(ids, ", "))
	}
	return all[0], nil
}

// ReadFileAll is ReadFile for files that may hold several series: all the
// series of a Prometheus response, in file order, or the one series of a
// CSV file.
func ReadFileAll(path string, stdin io.Reader) ([]Series, error) {
	name := displayName(path)
	var r io.Reader
	isJSON := strings.EqualFold(filepath.Ext(path), ".json")
	if path == "-" {
		if stdin == nil {
			return nil, fmt.Errorf(`%s: path "-" means stdin, but no stdin reader was given`, name)
		}
		br := bufio.NewReader(stdin)
		isJSON = startsWithBrace(br)
		r = br
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	if isJSON {
		return ReadPromJSON(r, name)
	}
	s, err := ReadCSV(r, name)
	if err != nil {
		return nil, err
	}
	return []Series{s}, nil
}

// displayName returns the name errors use for path.
func displayName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

// startsWithBrace reports whether the first byte of br that is not white
// space or a byte order mark is '{', without consuming anything. It looks
// no further than br's buffer.
func startsWithBrace(br *bufio.Reader) bool {
	b, _ := br.Peek(br.Size()) // fewer bytes at the end of the input
	s := strings.TrimLeft(string(b), " \t\r\n\uFEFF")
	return s != "" && s[0] == '{'
}
