// Package racedemo proves with the race detector that the reviewed
// shared-writer design races inside containerd's writer. Its test runs
// `go test -race` on this package in a subprocess; see racedemo_test.go.
package racedemo
