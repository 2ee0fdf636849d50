//go:build sandbox

package main

// sandboxInProcess is true: this test binary has the sandbox built in, as
// drill-sandbox does.
const sandboxInProcess = true
