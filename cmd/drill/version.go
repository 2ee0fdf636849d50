package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version and commit are set at link time by the Makefile's build target
// (-ldflags "-X main.version=... -X main.commit=..."). A plain `go build` or
// `go install` leaves them empty, and the module's build info fills in.
var (
	version string
	commit  string
)

func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use: "version",
		Example: `  drill version
  drill --version`,
		Short: "Print drill's version, the commit it was built from and the Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprint(f.IO.Out, versionText())
			return nil
		},
	}
}

// buildInfo is what `drill version` reports.
type buildInfo struct {
	Version, Commit, Go, Platform string
}

// readBuildInfo prefers the link-time values, then the module's build info:
// `go install module@vX` records the module version, and a build inside a git
// checkout records vcs.revision and vcs.modified.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			b.Go = bi.GoVersion
		}
		if b.Commit == "" {
			var rev string
			modified := false
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					modified = s.Value == "true"
				}
			}
			if rev != "" && modified {
				rev += "-dirty"
			}
			b.Commit = rev
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	return b
}

// versionText is the output of both `drill version` and `drill --version`.
func versionText() string {
	b := readBuildInfo()
	return fmt.Sprintf("drill %s\ncommit: %s\ngo:     %s %s\n", b.Version, b.Commit, b.Go, b.Platform)
}
