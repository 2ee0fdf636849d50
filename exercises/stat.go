package exercises

// fileMode is the kind of file a stat found.
type fileMode uint8

const (
	modeOther fileMode = iota
	modeRegular
	modeDir
)
