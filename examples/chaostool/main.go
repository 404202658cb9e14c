// Command chaostool plays a chaos tool that imports chaosstat and uses only
// its exported API: each command prints what the chaosstat command of the
// same name prints, with a few library calls.
//
//	chaostool monitor --control FILE --experiment FILE [--direction DIR]
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: chaostool monitor --control FILE --experiment FILE [flags]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "monitor":
		os.Exit(runMonitor(os.Args[2:], os.Stdout, os.Stderr))
	default:
		fmt.Fprintf(os.Stderr, "chaostool: unknown command %q: want monitor\n", os.Args[1])
		os.Exit(2)
	}
}
