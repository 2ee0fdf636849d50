// Command drill is a terminal coach for staff-level infrastructure interviews.
package main

import (
	"os"
	"time"
)

// processStart is taken as early as possible, to measure time to the first frame.
var processStart = time.Now()

// main configures the process (sandbox_process.go, in drill-sandbox only) and
// runs the command.
func main() {
	configureProcess()
	os.Exit(Main(os.Args[1:]))
}
