package ui

import "charm.land/bubbles/v2/key"

// keyMap holds every binding. Screens match keys with key.Matches against it,
// and the help bar and the ? screen are generated from the same bindings, so
// what the help says is what the keys do.
type keyMap struct {
	Modules                            key.Binding
	Module1, Module2, Module3, Module4 key.Binding
	Continue                           key.Binding
	Summary                            key.Binding
	Stats                              key.Binding
	Submit                             key.Binding
	Editor                             key.Binding
	Focus                              key.Binding
	Lang                               key.Binding
	Scroll                             key.Binding
	Top, Bottom                        key.Binding
	Help                               key.Binding
	HelpAnywhere                       key.Binding
	Back                               key.Binding
	Quit                               key.Binding
	QuitPlan                           key.Binding
	Retry                              key.Binding
	Variant                            key.Binding
	FollowUp                           key.Binding
	Next                               key.Binding
	Polish                             key.Binding
	Accept                             key.Binding
	Claim                              key.Binding
	Pick                               key.Binding
	Up, Down                           key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Modules:  key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "open module")),
		Module1:  key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "debug")),
		Module2:  key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "review")),
		Module3:  key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "expression")),
		Module4:  key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "design")),
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Stats:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "stats")),
		Summary:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "end of day")),
		Submit:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "submit")),
		Editor:   key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "$EDITOR")),
		Focus:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "focus")),
		Lang:     key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "EN/中文")),
		Scroll:   key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "scroll")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
		// In the editor "?" is text, so the key list also opens with f1 there.
		HelpAnywhere: key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "keys")),
		Back:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:         key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		QuitPlan:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Retry:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
		Variant:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "variant")),
		FollowUp:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow-up")),
		Next:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next")),
		Polish:       key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "polish")),
		Accept:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "keep polished")),
		Claim:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "claim")),
		Pick:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "pick")),
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	}
}

// helpKeys adapts a list of bindings to the help.KeyMap interface.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

func (k keyMap) planHelp(stats bool) helpKeys {
	short := []key.Binding{k.Modules, k.Continue}
	if stats {
		short = append(short, k.Stats)
	}
	short = append(short, k.Summary, k.Help, k.QuitPlan)
	return helpKeys{
		short: short,
		full:  [][]key.Binding{{k.Module1, k.Module2, k.Module3, k.Module4}, short[1 : len(short)-2], {k.Help, k.QuitPlan, k.Quit}},
	}
}

func (k keyMap) statsHelp() helpKeys {
	return helpKeys{
		short: []key.Binding{k.Scroll, k.Back, k.Quit},
		full:  [][]key.Binding{{k.Scroll, k.Top, k.Bottom}, {k.Back, k.Quit}},
	}
}

// taskHelp: the language key is in the full list and on the task's title
// line, next to the language shown, where it fits at 80 columns.
func (k keyMap) taskHelp(lang bool) helpKeys {
	focus := []key.Binding{k.Focus, k.Scroll}
	if lang {
		focus = append(focus, k.Lang)
	}
	return helpKeys{
		short: []key.Binding{k.Submit, k.Editor, k.Focus, k.HelpAnywhere, k.Back, k.Quit},
		full:  [][]key.Binding{{k.Submit, k.Editor}, focus, {k.HelpAnywhere, k.Help, k.Back, k.Quit}},
	}
}

// feedbackHelp lists only the keys that do something on this feedback screen.
func (k keyMap) feedbackHelp(f feedbackKeys) helpKeys {
	short := []key.Binding{k.Retry}
	if f.polish {
		short = append(short, k.Polish)
	}
	if f.accept {
		short = append(short, k.Accept)
	}
	if f.claim {
		short = append(short, k.Claim)
	}
	if f.variant {
		short = append(short, k.Variant)
	}
	if f.followUp {
		short = append(short, k.FollowUp)
	}
	short = append(short, k.Next, k.Help, k.Back, k.Quit)
	return helpKeys{short: short, full: [][]key.Binding{short[:len(short)-3], {k.Scroll, k.Top, k.Bottom}, {k.Help, k.Back, k.Quit}}}
}

// feedbackKeys says which optional keys a feedback screen offers.
type feedbackKeys struct{ variant, followUp, polish, accept, claim bool }

func (k keyMap) pickHelp() helpKeys {
	short := []key.Binding{k.Up, k.Down, k.Pick, k.Back}
	return helpKeys{short: short, full: [][]key.Binding{short}}
}

func (k keyMap) summaryHelp() helpKeys {
	return helpKeys{
		short: []key.Binding{k.Back, k.QuitPlan, k.Quit},
		full:  [][]key.Binding{{k.Back, k.QuitPlan, k.Quit}},
	}
}
