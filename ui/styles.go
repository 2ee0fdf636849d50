package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// styles are built for the terminal's background; with NO_COLOR every style is
// plain and only layout remains.
type styles struct {
	Title, Subtle, Accent, Good, Bad, Warn, Key, Box, Status lipgloss.Style
	Dark                                                     bool
	NoColor                                                  bool
}

func newStyles(dark, noColor bool) styles {
	s := styles{Dark: dark, NoColor: noColor}
	plain := lipgloss.NewStyle()
	if noColor {
		s.Title, s.Subtle, s.Accent, s.Good, s.Bad, s.Warn, s.Key, s.Status = plain.Bold(true), plain, plain, plain, plain, plain, plain.Bold(true), plain
		s.Box = plain.Border(lipgloss.NormalBorder()).Padding(0, 1)
		return s
	}
	ld := lipgloss.LightDark(dark)
	c := func(light, darkc string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(darkc)) }
	s.Title = plain.Bold(true).Foreground(c("#5A3FC0", "#B4A7FF"))
	s.Subtle = plain.Foreground(c("#6B6B6B", "#8A8A8A"))
	s.Accent = plain.Foreground(c("#0B6E99", "#7FD1FF"))
	s.Good = plain.Foreground(c("#1E7B34", "#7BE495"))
	s.Bad = plain.Foreground(c("#B3261E", "#FF8A80"))
	s.Warn = plain.Foreground(c("#8A5A00", "#FFD580"))
	s.Key = plain.Bold(true).Foreground(c("#5A3FC0", "#B4A7FF"))
	s.Status = plain.Foreground(c("#8A5A00", "#FFD580"))
	s.Box = plain.Border(lipgloss.RoundedBorder()).BorderForeground(c("#B0B0B0", "#4A4A4A")).Padding(0, 1)
	return s
}
