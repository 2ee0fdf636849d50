// Command drill is a terminal coach for staff-level infrastructure interviews.
package main

import (
	"io"
	"os"
	"time"

	"github.com/containerd/log"
)

// processStart is taken as early as possible, to measure time to the first frame.
var processStart = time.Now()

func main() {
	configureProcess()
	os.Exit(Main(os.Args[1:]))
}

// configureProcess sets what belongs to the whole process, here and not in a
// library: containerd's packages log through one process-wide logger, and its
// local content store warns about fsverity on most filesystems. drill's screen
// shows only what drill prints, so that logger is silenced.
func configureProcess() {
	log.L.Logger.SetOutput(io.Discard)
	_ = log.SetLevel("panic")
}
