# drill — see README.md.
SHELL    := bash
GO       ?= go
BIN      ?= bin/drill
STATICCHECK_VERSION ?= v0.8.2
PKGS     := ./...
# The end-to-end tests drive the real binary in tmux; they are built with the
# tmux tag, on by default where tmux is installed (.ci/run installs it), so a
# plain `go test ./...` on a machine without tmux still passes.
TAGS     ?= $(if $(shell command -v tmux 2>/dev/null),tmux,)

.PHONY: run build gen test race norace bench fuzz lint install clean

## run: build and open today's drill (embedded exercises, default database)
run: build
	./$(BIN)

# VERSION and COMMIT are stamped into the binary; `drill version` prints them.
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -X main.version=$(VERSION) -X main.commit=$(COMMIT)

# drill itself is linked statically, with Go's own DNS resolver and user lookup
# (netgo, osusergo) and without SQLite's extension loader: a static program
# skips the dynamic loader on every start, 3-7% of each command's time here.
# drill-sandbox, started only by `drill sandbox`, stays an ordinary build. Where
# no static C library is installed, drill is linked dynamically instead.
DRILL_TAGS    := netgo osusergo sqlite_omit_load_extension
DRILL_LDFLAGS := $(LDFLAGS) -extldflags=-static

## build: compile bin/drill and bin/drill-sandbox (drill with the containerd sandbox
## built in, which `drill sandbox` runs), stamped with their version and commit
build:
	$(GO) build -tags '$(DRILL_TAGS)' -ldflags '$(DRILL_LDFLAGS)' -o $(BIN) ./cmd/drill || { \
		echo "make: linking drill statically failed (is the static C library installed?); building it dynamically" >&2; \
		$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/drill; }
	$(GO) build -tags sandbox -ldflags '$(LDFLAGS)' -o $(BIN)-sandbox ./cmd/drill

## gen: compile the exercise bank (exercises/bank_gen.go) from exercises/<module>/*.md
## and the lexicon, and misspell's dictionary into grader/llm/misspell_gen.go
gen:
	$(GO) generate ./exercises ./grader/llm

## test: the whole suite — race detector on, then the deliberately racy sandbox paths without it
test: race norace

race:
	$(GO) test -race -count=1 -timeout 30m -tags '$(TAGS)' $(PKGS)

# The sandbox's buggy TransferService races inside containerd's writer on purpose
# (that is the bug the debug drill is about). Its tests carry `//go:build !race`
# and run here, without the race detector; cmd/drill's sandbox commands are
# built in with the sandbox tag, as in bin/drill-sandbox.
norace:
	$(GO) test -count=1 -timeout 30m ./content/... ./sandbox/...
	$(GO) test -count=1 -timeout 30m -tags sandbox -run 'TestScripts/sandbox_|TestSandbox' ./cmd/drill

## bench: speed and memory targets, reported as numbers and then as one table
## (whole-process commands, TUI first frame, bank loads, grading, five years of stats),
## one package at a time, so that no benchmark shares the machine with another
bench: build
	set -o pipefail; DRILL_BIN=$(abspath $(BIN)) $(GO) test -p 1 -run '^$$' -bench . -benchmem -tags '$(TAGS)' $(PKGS) | $(GO) run ./internal/benchtable

## fuzz: a short fuzzing pass over the exercise parser, the grader, the sanitiser, import,
## config and the Markdown parser and renderer. New inputs are minimised for at most 5 s:
## minimising a large one could take the whole pass and end it in "context deadline exceeded"
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzText -fuzztime 30s -fuzzminimizetime 5s ./internal/sanitize
	$(GO) test -run '^$$' -fuzz FuzzWriter -fuzztime 30s -fuzzminimizetime 5s ./internal/sanitize
	$(GO) test -run '^$$' -fuzz FuzzLoadFile -fuzztime 30s -fuzzminimizetime 5s ./config
	$(GO) test -run '^$$' -fuzz FuzzImport -fuzztime 30s -fuzzminimizetime 5s ./cmd/drill
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s -fuzzminimizetime 5s ./exercises
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime 30s -fuzzminimizetime 5s ./exercises
	$(GO) test -run '^$$' -fuzz FuzzGrade -fuzztime 30s -fuzzminimizetime 5s ./grader
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s -fuzzminimizetime 5s ./internal/markdown
	$(GO) test -run '^$$' -fuzz FuzzRender -fuzztime 30s -fuzzminimizetime 5s ./internal/markdown

## lint: go vet, gofmt and staticcheck (pinned, installed through the module proxy)
lint:
	$(GO) vet -tags tmux $(PKGS)
	$(GO) vet -tags tmux,sandbox ./cmd/drill
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags tmux $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags tmux,sandbox ./cmd/drill

## install: install drill and drill-sandbox into $GOBIN (or $GOPATH/bin)
install:
	$(GO) install -tags '$(DRILL_TAGS)' -ldflags '$(DRILL_LDFLAGS)' ./cmd/drill || { \
		echo "make: linking drill statically failed (is the static C library installed?); installing it dynamically" >&2; \
		$(GO) install -ldflags '$(LDFLAGS)' ./cmd/drill; }
	$(GO) build -tags sandbox -ldflags '$(LDFLAGS)' -o "$$($(GO) env GOBIN | grep . || echo "$$($(GO) env GOPATH)/bin")/drill-sandbox" ./cmd/drill

clean:
	rm -rf bin
