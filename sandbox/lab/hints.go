package lab

// Hint is one step towards the fix, in English and Chinese.
type Hint struct{ EN, ZH string }

// Hints returns the hints in order, from where to look to the whole answer.
func Hints() []Hint { return append([]Hint(nil), hints[:]...) }

// hints: the facts in them are containerd v2's (core/content/helpers.go,
// core/metadata/content.go).
var hints = [...]Hint{
	{
		EN: "Read the \"times a writer was shared\" evidence: the mutex guards the map, not the writer. " +
			"containerd already refuses a second writer on a ref that is being written (\"ref ... locked\", ErrUnavailable). " +
			"What if every importer opened its own writer and the ones that lose simply wait?",
		ZH: "看 \"times a writer was shared\" 的证据：mutex 只保护了 map，没有保护 writer。" +
			"containerd 本身就会拒绝在正在写入的 ref 上再开第二个 writer（\"ref ... locked\"，ErrUnavailable）。" +
			"如果每个导入者都自己开 writer，没抢到的就等待，会怎样？",
	},
	{
		EN: "The GC evidence says the blob is not in the caller's lease. The lease travels in ctx, and the starter opens and commits the writer in a context of its own. " +
			"containerd's metadata store adds the ingest and the committed blob to the lease found in the context of Writer and Commit, " +
			"and when the blob already exists, Writer with the descriptor's digest adds it to that lease before returning ErrAlreadyExists.",
		ZH: "GC 的证据说明 blob 不在调用方的 lease 里。lease 放在 ctx 中，而初始代码用自己的 context 打开并提交 writer。" +
			"containerd 的 metadata store 会把 ingest 和提交后的 blob 加进 Writer/Commit 所用 context 里的 lease；" +
			"blob 已存在时，带 digest 调 Writer 会先把它加进这个 lease，再返回 ErrAlreadyExists。",
	},
	{
		EN: "content.OpenWriter retries on ErrUnavailable until ctx ends, so a waiter can be cancelled. " +
			"content.Copy resumes an ingest a cancelled importer left half written (it skips the bytes already there) and treats ErrAlreadyExists at commit as success. " +
			"Never hand one caller's error (a cancelled body) to another caller.",
		ZH: "content.OpenWriter 遇到 ErrUnavailable 会一直重试直到 ctx 结束，所以等待中的调用方可以被取消。" +
			"content.Copy 会接着被取消的导入者留下的半截 ingest 继续写（跳过已有的字节），提交时遇到 ErrAlreadyExists 视为成功。" +
			"不要把一个调用方的错误（比如它的请求体被取消）交给另一个调用方。",
	},
	{
		EN: "The whole fix fits in one call, in the caller's ctx: content.WriteBlob(ctx, ts.cs, ref, r, ocispec.Descriptor{Size: size, Digest: expected}) " +
			"opens the writer with OpenWriter and copies with Copy. Delete the writer map.",
		ZH: "完整的修法就是在调用方的 ctx 里调用一次：content.WriteBlob(ctx, ts.cs, ref, r, ocispec.Descriptor{Size: size, Digest: expected})，" +
			"它用 OpenWriter 打开 writer，再用 Copy 写入并提交。把 writer 的 map 删掉。",
	},
}
