//go:build sandbox

package main

import (
	"io"

	"github.com/containerd/log"
)

// configureProcess sets what belongs to the whole process, here and not in a
// library: containerd's packages log through one process-wide logger, and its
// local content store warns about fsverity on most filesystems. drill's screen
// shows only what drill prints, so that logger is silenced.
func configureProcess() {
	log.L.Logger.SetOutput(io.Discard)
	_ = log.SetLevel("panic")
}
