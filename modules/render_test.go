package modules

import "testing"

func TestJoinCJKLines(t *testing.T) {
	in := "同事提交了这段 PR，目的是共用一个\nwriter，避免重复写入。\n请从并发、内存两个角度\n写评论。\n\n```go\n// 中文注释\n// 第二行\n```\nEnglish line one\nline two"
	want := "同事提交了这段 PR，目的是共用一个\nwriter，避免重复写入。请从并发、内存两个角度写评论。\n\n```go\n// 中文注释\n// 第二行\n```\nEnglish line one\nline two"
	if got := JoinCJKLines(in); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}
