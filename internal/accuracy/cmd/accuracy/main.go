// Command accuracy measures chaosstat's accuracy matrix (internal/accuracy)
// and rewrites its section of docs/accuracy.md. Run from the repository's
// root:
//
//	go run ./internal/accuracy/cmd/accuracy
//
// Flags: -seed (default 14), -scale (a factor on the runs per synthetic
// cell, for a quick look; the committed section uses 1), -doc, -data,
// -workers (cells measured at once; default one per CPU), -o - (print the
// section instead of rewriting the doc).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/chaosstat/chaosstat/internal/accuracy"
)

func main() {
	seed := flag.Uint64("seed", 14, "seed of every cell's generators")
	scale := flag.Float64("scale", 1, "factor on the runs per synthetic cell")
	doc := flag.String("doc", "docs/accuracy.md", "the document whose matrix section is rewritten")
	data := flag.String("data", "steadystate/baseline/testdata", "the folder of the real data (nyc_taxi.csv, nab/)")
	workers := flag.Int("workers", 0, "cells measured at once (0: one per CPU)")
	out := flag.String("o", "", "write the section here instead (- for stdout)")
	flag.Parse()
	if err := run(*seed, *scale, *doc, *data, *workers, *out); err != nil {
		fmt.Fprintln(os.Stderr, "accuracy:", err)
		os.Exit(1)
	}
}

func run(seed uint64, scale float64, doc, data string, workers int, out string) error {
	real, err := accuracy.LoadReal(data)
	if err != nil {
		return err
	}
	runs := map[string]int{}
	for k, v := range accuracy.Runs {
		runs[k] = max(1, int(float64(v)*scale))
	}
	start := time.Now()
	rows := accuracy.Matrix(accuracy.Cells(runs, real), seed, workers)
	fmt.Fprintf(os.Stderr, "accuracy: %d cells in %.1f s\n", len(rows), time.Since(start).Seconds())
	var b bytes.Buffer
	if err := accuracy.WriteSection(&b, rows, seed, runs); err != nil {
		return err
	}
	switch out {
	case "-":
		_, err := os.Stdout.Write(b.Bytes())
		return err
	case "":
	default:
		return os.WriteFile(out, b.Bytes(), 0o644)
	}
	old, err := os.ReadFile(doc)
	if err != nil {
		return err
	}
	text, err := accuracy.Rewrite(string(old), b.String())
	if err != nil {
		return err
	}
	return os.WriteFile(doc, []byte(text), 0o644)
}
