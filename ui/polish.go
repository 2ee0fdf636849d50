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

type (
	polishChunkMsg string
	polishDoneMsg  struct {
		res *PolishResult
		err error
	}
	polishSavedMsg struct{ err error }
)

// startPolish runs the polisher in the background; chunks arrive as messages
// through a channel, read one at a time by waitPolish.
func (m *Model) startPolish() tea.Cmd {
	if m.deps.Polish == nil || m.result == nil || m.polishing {
		return nil
	}
	m.polishing, m.polished, m.polishText, m.polishErr = true, nil, "", nil
	ch := make(chan tea.Msg, 64)
	m.polishCh = ch
	text, limit, polish := m.lastAnswer, m.task.MaxSentences, m.deps.Polish
	go func() {
		res, err := polish(context.Background(), text, limit, func(s string) { ch <- polishChunkMsg(s) })
		ch <- polishDoneMsg{res: res, err: err}
		close(ch)
	}()
	m.refreshContent()
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

// acceptPolish stores the polished text with the attempt.
func (m *Model) acceptPolish() tea.Cmd {
	if m.polished == nil || m.polished.Text == "" || m.attemptID == 0 {
		return nil
	}
	id, text, st := m.attemptID, m.polished.Text, m.deps.Store
	m.status = "Saving the polished version with this attempt…"
	return func() tea.Msg {
		return polishSavedMsg{err: st.SetPolished(context.Background(), id, text)}
	}
}

// polishMarkdown is the polish section under the feedback.
func (m *Model) polishMarkdown() string {
	if !m.polishing && m.polished == nil && m.polishErr == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n### Polished\n\n")
	switch {
	case m.polishErr != nil:
		b.WriteString("Polishing failed: " + sanitize.Text(m.polishErr.Error()) + " Your answer is unchanged.\n")
	case m.polished != nil && m.polished.Offline:
		b.WriteString("No LLM is configured, so here are the offline checks (see `drill doctor`):\n\n")
		for _, a := range m.polished.Advice {
			b.WriteString("- " + sanitize.Text(a) + "\n")
		}
		if len(m.polished.Advice) == 0 {
			b.WriteString("- Nothing to flag.\n")
		}
	case m.polished != nil:
		b.WriteString(sanitize.Text(m.polished.Text) + "\n\n")
		if m.polished.Diff != "" {
			b.WriteString("```\n" + sanitize.Text(m.polished.Diff) + "\n```\n")
		}
		b.WriteString("\nPress **a** to keep this version with the attempt.\n")
	default:
		b.WriteString(sanitize.Text(m.polishText) + " …\n")
	}
	return b.String()
}
