package content

import (
	"io/fs"
	"os"
)

var errNotExist = fs.ErrNotExist

func statDir(p string) (os.FileInfo, error) { return os.Stat(p) }
