// Command benchtable reads `go test -bench` output on stdin, passes it through, and
// prints the results again as one Markdown table: time per op in milliseconds and
// the extra metrics (peak memory, first frame) each benchmark reports.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

type row struct {
	pkg, name string
	ms        float64
	metrics   map[string]float64
}

func main() {
	rows, header, err := read(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	fmt.Println()
	for _, h := range header {
		fmt.Println(h)
	}
	fmt.Println()
	write(os.Stdout, rows)
}

// read copies in to echo and collects the benchmark lines.
func read(in io.Reader, echo io.Writer) ([]row, []string, error) {
	var rows []row
	var header []string
	pkg := ""
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(echo, line)
		f := strings.Fields(line)
		switch {
		case len(f) >= 2 && f[0] == "pkg:":
			pkg = strings.TrimPrefix(f[1], "github.com/drill-coach/drill/")
		case len(f) >= 2 && (f[0] == "cpu:" || f[0] == "goos:" || f[0] == "goarch:"):
			if !contains(header, line) {
				header = append(header, line)
			}
		case len(f) >= 4 && strings.HasPrefix(f[0], "Benchmark") && f[3] == "ns/op":
			r := row{pkg: pkg, name: trimProcs(strings.TrimPrefix(f[0], "Benchmark")), metrics: map[string]float64{}}
			ns, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				continue
			}
			r.ms = ns / 1e6
			for i := 4; i+1 < len(f); i += 2 {
				if v, err := strconv.ParseFloat(f[i], 64); err == nil {
					r.metrics[f[i+1]] = v
				}
			}
			rows = append(rows, r)
		}
	}
	return rows, header, sc.Err()
}

func write(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| package | benchmark | ms/op | peak MiB | first frame ms | allocs/op |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|")
	for _, r := range rows {
		allocs := metric(r, "allocs/op", 1, 0)
		if _, ok := r.metrics["peak-KiB"]; ok {
			allocs = "" // counted in the benchmark, not in the drill process it started
		}
		if _, ok := r.metrics["first-frame-ms"]; ok {
			allocs = ""
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", r.pkg, r.name, num(r.ms, 2),
			metric(r, "peak-KiB", 1.0/1024, 1), metric(r, "first-frame-ms", 1, 0), allocs)
	}
}

func metric(r row, name string, scale float64, prec int) string {
	v, ok := r.metrics[name]
	if !ok {
		return ""
	}
	return num(v*scale, prec)
}

func num(v float64, prec int) string {
	if v >= 100 {
		prec = 0
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// trimProcs drops the -N GOMAXPROCS suffix of a benchmark name.
func trimProcs(name string) string {
	if i := strings.LastIndex(name, "-"); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
