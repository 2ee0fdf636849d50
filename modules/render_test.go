package modules

import (
	"strings"
	"testing"

	"github.com/drill-coach/drill/exercises"
)

func TestJoinCJKLines(t *testing.T) {
	in := "同事提交了这段 PR，目的是共用一个\nwriter，避免重复写入。\n请从并发、内存两个角度\n写评论。\n\n```go\n// 中文注释\n// 第二行\n```\nEnglish line one\nline two"
	want := "同事提交了这段 PR，目的是共用一个\nwriter，避免重复写入。请从并发、内存两个角度写评论。\n\n```go\n// 中文注释\n// 第二行\n```\nEnglish line one\nline two"
	if got := JoinCJKLines(in); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func TestExerciseMarkdownListsSources(t *testing.T) {
	ex := &exercises.Exercise{ID: "x", Module: "debug", Title: "T",
		Sources: []exercises.Source{{Title: "containerd core/metadata/gc.go \x1b]52;c;aGk=\x07", URL: "https://github.com/containerd/containerd/blob/v2.4.2/core/metadata/gc.go"}}}
	md := ExerciseMarkdown(ex, nil, "en")
	if !strings.HasSuffix(md, "## Sources\n\n- containerd core/metadata/gc.go : https://github.com/containerd/containerd/blob/v2.4.2/core/metadata/gc.go\n\n") {
		t.Fatalf("sources not listed at the end:\n%s", md)
	}
	if strings.Contains(md, "\x1b") {
		t.Fatal("an escape sequence from a source reached the output")
	}
}
