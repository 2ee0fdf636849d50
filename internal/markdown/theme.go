package markdown

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// Theme is the palette text is rendered in.
type Theme int

const (
	// Dark is for a terminal with a dark background.
	Dark Theme = iota
	// Light is for a terminal with a light background.
	Light
	// NoColor keeps the layout and drops every colour and weight: for NO_COLOR
	// and for output that is not a terminal. It writes no escape sequences.
	NoColor
)

// String is the theme's name as the configuration spells it.
func (t Theme) String() string {
	switch t {
	case Dark:
		return "dark"
	case Light:
		return "light"
	default:
		return "none"
	}
}

// DarkBackground reads COLORFGBG, which rxvt sets (and some other terminals
// copy) to "fg;bg" or "fg;default;bg", the colours as numbers of the 16-colour
// ANSI palette. It reports whether the background is dark, and false for ok
// when the variable says nothing: unset, "default" or unreadable. Black, the
// six dim colours (1 to 6) and bright black (8) count as dark; white (7) and
// the bright colours (9 to 15) as light.
func DarkBackground(colorfgbg string) (dark, ok bool) {
	f := strings.Split(colorfgbg, ";")
	bg := strings.TrimSpace(f[len(f)-1])
	n := 0
	if bg == "" || len(bg) > 2 {
		return false, false
	}
	for _, c := range bg {
		if c < '0' || c > '9' {
			return false, false
		}
		n = n*10 + int(c-'0')
	}
	if n > 15 {
		return false, false
	}
	return n != 7 && n < 9, true
}

// look is a set of inline and block properties that together pick a style.
type look uint16

const (
	lBold look = 1 << iota
	lItalic
	lCode
	lLink
	lHeading
	lQuote
	lMarker // a list bullet or number, a rule
	lKeyword
	lString
	lComment
	lNumber
	lCodeBlock
)

// palette turns looks into lipgloss styles, built once per theme and look.
type palette struct {
	theme  Theme
	styles map[look]lipgloss.Style
}

func newPalette(t Theme) *palette { return &palette{theme: t, styles: map[look]lipgloss.Style{}} }

// paint renders s in look l; with NoColor it returns s unchanged.
func (p *palette) paint(s string, l look) string {
	if p.theme == NoColor || l == 0 || s == "" {
		return s
	}
	st, ok := p.styles[l]
	if !ok {
		st = p.build(l)
		p.styles[l] = st
	}
	return st.Render(s)
}

func (p *palette) build(l look) lipgloss.Style {
	ld := lipgloss.LightDark(p.theme == Dark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	s := lipgloss.NewStyle()
	// The block's colour first, then the inline one over it, so a keyword in a
	// heading's code span still reads as code.
	switch {
	case l&lHeading != 0:
		s = s.Bold(true).Foreground(c("#5A3FC0", "#B4A7FF"))
	case l&lQuote != 0:
		s = s.Foreground(c("#6B6B6B", "#9A9A9A"))
	case l&lMarker != 0:
		s = s.Foreground(c("#0B6E99", "#7FD1FF"))
	case l&lCodeBlock != 0:
		s = s.Foreground(c("#303030", "#D0D0D0"))
	}
	switch {
	case l&lKeyword != 0:
		s = s.Foreground(c("#8B2FA8", "#D7A0FF"))
	case l&lString != 0:
		s = s.Foreground(c("#1E7B34", "#A5E07A"))
	case l&lComment != 0:
		s = s.Foreground(c("#6B6B6B", "#7A7A7A")).Italic(true)
	case l&lNumber != 0:
		s = s.Foreground(c("#A34D00", "#FFB870"))
	case l&lCode != 0:
		s = s.Foreground(c("#B3261E", "#FF9E8A"))
	case l&lLink != 0:
		s = s.Foreground(c("#0B6E99", "#7FD1FF")).Underline(true)
	}
	if l&lBold != 0 {
		s = s.Bold(true)
	}
	if l&lItalic != 0 {
		s = s.Italic(true)
	}
	return s
}
