package ui

import "charm.land/bubbles/v2/key"

// keyMap holds every binding; the help bar and the ? screen are generated from it,
// never written by hand.
type keyMap struct {
	Modules                            key.Binding
	Module1, Module2, Module3, Module4 key.Binding
	Continue                           key.Binding
	Summary                            key.Binding
	Stats                              key.Binding
	Submit                             key.Binding
	Editor                             key.Binding
	Focus                              key.Binding
	Scroll                             key.Binding
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
		Scroll:   key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "scroll")),
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
		full:  [][]key.Binding{{k.Scroll, k.Back, k.Quit}},
	}
}

func (k keyMap) taskHelp() helpKeys {
	return helpKeys{
		short: []key.Binding{k.Submit, k.Editor, k.Focus, k.HelpAnywhere, k.Back, k.Quit},
		full:  [][]key.Binding{{k.Submit, k.Editor}, {k.Focus, k.Scroll}, {k.HelpAnywhere, k.Help, k.Back, k.Quit}},
	}
}

func (k keyMap) feedbackHelp(variant, followUp, polish, accept bool) helpKeys {
	short := []key.Binding{k.Retry}
	if polish {
		short = append(short, k.Polish)
	}
	if accept {
		short = append(short, k.Accept)
	}
	if variant {
		short = append(short, k.Variant)
	}
	if followUp {
		short = append(short, k.FollowUp)
	}
	short = append(short, k.Next, k.Help, k.Back, k.Quit)
	return helpKeys{short: short, full: [][]key.Binding{short[:len(short)-3], {k.Help, k.Back, k.Quit}}}
}

func (k keyMap) summaryHelp() helpKeys {
	return helpKeys{
		short: []key.Binding{k.Back, k.QuitPlan, k.Quit},
		full:  [][]key.Binding{{k.Back, k.QuitPlan, k.Quit}},
	}
}
