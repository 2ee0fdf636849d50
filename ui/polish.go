package ui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/drill-coach/drill/internal/sanitize"
)

// PolishResult is a polished answer, or offline advice when no LLM is configured.
type PolishResult struct {
	Text    string   // the polished answer; empty for offline advice
	Diff    string   // the word diff and the reasons for each change
	Advice  []string // offline checks, when Text is empty
	Offline bool
}

// PolishFunc polishes text, calling onChunk with the polished text as it streams.
type PolishFunc func(ctx context.Context, text string, maxSentences int, onChunk func(string)) (*PolishResult, error)

// Polish messages carry the seq of the attempt they polish: a stream that is
// still arriving after a retry belongs to the old attempt and is dropped.
type (
	polishChunkMsg struct {
		seq  int
		text string
		ch   <-chan tea.Msg
	}
	polishDoneMsg struct {
		seq int
		res *PolishResult
		err error
	}
	polishSavedMsg struct {
		seq int
		err error
	}
)

// startPolish runs the polisher under the feedback screen's context; chunks
// arrive as messages through a channel read one at a time by waitPolish.
// Leaving the screen cancels the context, which stops the request and the
// goroutine.
func (f *feedbackModel) startPolish() tea.Cmd {
	if f.c.deps.Polish == nil || f.polishing {
		return nil
	}
	f.polishing, f.polished, f.polishText, f.polishErr = true, nil, "", nil
	ch := make(chan tea.Msg, 64)
	ctx, seq, text, limit, polish := f.ctx, f.seq, f.answer, f.t.MaxSentences, f.c.deps.Polish
	send := func(msg tea.Msg) {
		select {
		case ch <- msg:
		case <-ctx.Done():
		}
	}
	go func() {
		defer close(ch)
		res, err := polish(ctx, text, limit, func(s string) { send(polishChunkMsg{seq: seq, text: s, ch: ch}) })
		send(polishDoneMsg{seq: seq, res: res, err: err})
	}()
	f.refresh()
	return waitPolish(ch)
}

func waitPolish(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

func (f *feedbackModel) polishUpdate(msg tea.Msg) (tea.Cmd, navigation) {
	switch msg := msg.(type) {
	case polishChunkMsg:
		if msg.seq != f.seq {
			return nil, navigation{}
		}
		f.polishText += msg.text
		f.refresh()
		f.pane.GotoBottom()
		return waitPolish(msg.ch), navigation{}
	case polishDoneMsg:
		if msg.seq != f.seq {
			return nil, navigation{}
		}
		f.polishing = false
		f.polished, f.polishErr = msg.res, msg.err
		if msg.err != nil {
			f.c.deps.Log.Error("polish", "err", msg.err)
		}
		f.refresh()
		f.pane.GotoBottom()
	case polishSavedMsg:
		if msg.seq != f.seq {
			return nil, navigation{}
		}
		if msg.err != nil {
			return nil, say("Could not save the polished version: " + msg.err.Error())
		}
		return nil, say("Polished version saved with the attempt.")
	}
	return nil, navigation{}
}

// acceptPolish stores the polished text with this screen's attempt.
func (f *feedbackModel) acceptPolish() (tea.Cmd, navigation) {
	if f.polished == nil || f.polished.Text == "" || f.attemptID == 0 {
		return nil, navigation{}
	}
	id, text, st, seq := f.attemptID, f.polished.Text, f.c.deps.Store, f.seq
	ctx := context.WithoutCancel(f.ctx)
	return func() tea.Msg {
		return polishSavedMsg{seq: seq, err: st.SetPolished(ctx, id, text)}
	}, say("Saving the polished version with this attempt…")
}

// polishMarkdown is the polish section under the feedback.
func (f *feedbackModel) polishMarkdown() string {
	if !f.polishing && f.polished == nil && f.polishErr == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n### Polished\n\n")
	switch {
	case f.polishErr != nil:
		b.WriteString("Polishing failed: " + sanitize.Text(f.polishErr.Error()) + " Your answer is unchanged.\n")
	case f.polished != nil && f.polished.Offline:
		b.WriteString("No LLM is configured, so here are the offline checks (see `drill doctor`):\n\n")
		for _, a := range f.polished.Advice {
			b.WriteString("- " + sanitize.Text(a) + "\n")
		}
		if len(f.polished.Advice) == 0 {
			b.WriteString("- Nothing to flag.\n")
		}
	case f.polished != nil:
		b.WriteString(sanitize.Text(f.polished.Text) + "\n\n")
		if f.polished.Diff != "" {
			b.WriteString("```\n" + sanitize.Text(f.polished.Diff) + "\n```\n")
		}
		b.WriteString("\nPress **a** to keep this version with the attempt.\n")
	default:
		b.WriteString(sanitize.Text(f.polishText) + " …\n")
	}
	return b.String()
}
