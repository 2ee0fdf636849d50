package llm

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: a stream
// that is never closed or a retry that keeps waiting would show up here.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
