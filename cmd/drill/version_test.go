package main

import (
	"runtime"
	"strings"
	"testing"
)

// The link-time values win over the module's build info.
func TestVersionTextUsesLinkTimeValues(t *testing.T) {
	oldV, oldC := version, commit
	t.Cleanup(func() { version, commit = oldV, oldC })
	version, commit = "v1.4.0", "0123456789abcdef"
	got := versionText()
	for _, want := range []string{"drill v1.4.0\n", "commit: 0123456789abcdef\n", runtime.Version()} {
		if !strings.Contains(got, want) {
			t.Errorf("versionText() = %q, want it to contain %q", got, want)
		}
	}
}
