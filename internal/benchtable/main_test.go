package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	in := `goos: linux
pkg: github.com/drill-coach/drill/cmd/drill
cpu: Some CPU
BenchmarkProcess/help-2         	      10	   8312345 ns/op	     20480 peak-KiB	   16048 B/op	      53 allocs/op
BenchmarkTUIFirstFrame-2   	       5	 412000000 ns/op	        41.00 first-frame-ms	     30000 rss-KiB
pkg: github.com/drill-coach/drill/exercises
BenchmarkLoadOne-2         	    5000	    177454 ns/op	   86128 B/op	     769 allocs/op
ok  	github.com/drill-coach/drill/exercises	1.0s
`
	var echo, out bytes.Buffer
	rows, header, err := read(strings.NewReader(in), &echo)
	if err != nil {
		t.Fatal(err)
	}
	if echo.String() != in {
		t.Fatalf("input not passed through:\n%s", echo.String())
	}
	if len(header) != 2 {
		t.Fatalf("header = %q", header)
	}
	write(&out, rows)
	for _, want := range []string{
		"| cmd/drill | Process/help | 8.31 | 20.0 |  |  |",
		"| cmd/drill | TUIFirstFrame | 412 |  | 41 |  |",
		"| exercises | LoadOne | 0.18 |  |  | 769 |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}
