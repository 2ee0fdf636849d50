//go:build race

package main

// raceEnabled tells scripts that the drill binary under test has the race
// detector: the sandbox's buggy TransferService races on purpose, so the scripts
// that drive it run in make test's second, non-race pass.
const raceEnabled = true
