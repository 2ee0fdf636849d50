// Package config reads drill's settings: $XDG_CONFIG_HOME/drill/config.yaml, then
// the environment (OPENAI_API_KEY, OPENAI_BASE_URL, DRILL_LLM_MODEL), which wins.
//
// Every setting has a working default, so a missing file is not an error: drill
// runs fully offline until an endpoint is configured.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/adrg/xdg"
	"github.com/goccy/go-yaml"
)

// Defaults.
const (
	DefaultModel            = "gpt-4o-mini"
	DefaultTimeout          = 60 * time.Second
	DefaultDesiredRetention = 0.9
	// OpenAIBaseURL is the endpoint used when only a key is set.
	OpenAIBaseURL = "https://api.openai.com/v1"
)

// The values of the theme setting.
const (
	ThemeAuto  = "auto" // dark unless the terminal says its background is light
	ThemeDark  = "dark"
	ThemeLight = "light"
)

// Where a setting came from, for `drill doctor`.
const (
	FromDefault = "default"
	FromFile    = "config file"
	FromEnv     = "environment"
)

// Config holds every setting. The YAML keys are the documented ones; fields not in
// the file keep their defaults.
type Config struct {
	// APIKey authenticates against the endpoint. It is never printed, logged or
	// stored anywhere else; String redacts it.
	APIKey  string `yaml:"openai_api_key"`
	BaseURL string `yaml:"openai_base_url"`
	Model   string `yaml:"llm_model"`
	// LLMGrading asks `drill answer` and the TUI to add the LLM grade by default.
	LLMGrading bool          `yaml:"llm_grading"`
	LLMTimeout time.Duration `yaml:"-"`
	// DesiredRetention is the scheduler's target recall probability.
	DesiredRetention float64 `yaml:"desired_retention"`
	// HideStreak hides the practice streak for learners who find it stressful.
	HideStreak bool `yaml:"hide_streak"`
	// Theme is the palette of rendered text: dark, light, or auto to follow
	// the terminal's background.
	Theme string `yaml:"theme"`

	// Path is the config file that was read, or would be read if it existed.
	Path string `yaml:"-"`
	// FileFound is true when Path existed.
	FileFound bool `yaml:"-"`
	// Source tells, for api_key, base_url and model, where the value came from.
	Source map[string]string `yaml:"-"`
}

// String describes the configuration without the key's value, so a stray %v
// cannot leak it.
func (c Config) String() string {
	return fmt.Sprintf("config{base_url=%q model=%q api_key=%s timeout=%s}",
		c.BaseURL, c.Model, KeyState(c.APIKey), c.LLMTimeout)
}

// KeyState is how a key is shown anywhere: "set" or "not set", never its value.
func KeyState(key string) string {
	if key == "" {
		return "not set"
	}
	return "set"
}

// Path returns $XDG_CONFIG_HOME/drill/config.yaml. getenv is read on every call,
// not cached, so tests can point it at a temporary folder.
func Path(getenv func(string) string) string {
	home := getenv("XDG_CONFIG_HOME")
	if home == "" {
		home = xdg.ConfigHome
	}
	return filepath.Join(home, "drill", "config.yaml")
}

// Load reads the config file (a missing one is fine), then applies the
// environment.
func Load(getenv func(string) string) (*Config, error) {
	return LoadFile(Path(getenv), getenv)
}

// LoadFile is Load with an explicit file.
func LoadFile(path string, getenv func(string) string) (*Config, error) {
	c := &Config{
		Model:            DefaultModel,
		LLMTimeout:       DefaultTimeout,
		DesiredRetention: DefaultDesiredRetention,
		Theme:            ThemeAuto,
		Path:             path,
		Source:           map[string]string{"api_key": FromDefault, "base_url": FromDefault, "model": FromDefault},
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("config: %w", err)
	default:
		c.FileFound = true
		if err := c.parse(data); err != nil {
			// A broken file may be broken right next to the key: the message
			// never quotes the file, and any key found in it is blanked out.
			msg := redact(err.Error(), append(keysIn(data), strings.TrimSpace(getenv("OPENAI_API_KEY")))...)
			return nil, fmt.Errorf("config %s: %s", path, msg)
		}
	}
	for _, e := range []struct {
		env, key string
		dst      *string
	}{
		{"OPENAI_API_KEY", "api_key", &c.APIKey},
		{"OPENAI_BASE_URL", "base_url", &c.BaseURL},
		{"DRILL_LLM_MODEL", "model", &c.Model},
	} {
		if v := strings.TrimSpace(getenv(e.env)); v != "" {
			*e.dst = v
			c.Source[e.key] = FromEnv
		}
	}
	return c, nil
}

func (c *Config) parse(data []byte) error {
	// Decode into a copy of the defaults so absent keys keep them; a typo in a key
	// is an error with its line, not a silently ignored setting.
	// llm_timeout is read as text and parsed here so a bad value names its key.
	f := struct {
		Config  `yaml:",inline"`
		Timeout string `yaml:"llm_timeout"`
	}{Config: *c}
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField()); err != nil {
		// Line and column only: the library's source excerpt would print the
		// lines around the error, the API key among them.
		return errors.New(yaml.FormatError(err, false, false))
	}
	if f.Timeout != "" {
		d, err := time.ParseDuration(strings.TrimSpace(f.Timeout))
		if err != nil {
			return fmt.Errorf("llm_timeout: %q is not a duration such as 60s or 2m", f.Timeout)
		}
		f.LLMTimeout = d
	}
	for key, pair := range map[string][2]string{
		"api_key": {f.APIKey, c.APIKey}, "base_url": {f.BaseURL, c.BaseURL}, "model": {f.Model, c.Model},
	} {
		if pair[0] != "" && pair[0] != pair[1] {
			c.Source[key] = FromFile
		}
	}
	if f.Model == "" {
		f.Model = DefaultModel
	}
	if f.LLMTimeout <= 0 {
		return fmt.Errorf("llm_timeout must be a positive duration such as 60s, not %s", f.LLMTimeout)
	}
	if f.DesiredRetention <= 0 || f.DesiredRetention >= 1 {
		return fmt.Errorf("desired_retention must lie between 0 and 1 (0.9 is the usual choice), not %g", f.DesiredRetention)
	}
	switch f.Theme = strings.ToLower(strings.TrimSpace(f.Theme)); f.Theme {
	case ThemeAuto, ThemeDark, ThemeLight:
	case "":
		f.Theme = ThemeAuto
	default:
		return fmt.Errorf("theme must be dark, light or auto, not %q", f.Theme)
	}
	f.Source, f.Path, f.FileFound = c.Source, c.Path, c.FileFound
	*c = f.Config
	return nil
}

// keysIn finds what looks like the value of openai_api_key in a file that may
// not parse, line by line, so an error message can be cleaned of it.
func keysIn(data []byte) []string {
	var keys []string
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || !strings.Contains(k, "api_key") {
			continue
		}
		v = strings.TrimSpace(v)
		if i := strings.Index(v, " #"); i >= 0 {
			v = v[:i]
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if v != "" {
			keys = append(keys, v)
		}
	}
	return keys
}

// redact replaces every key (and every fragment of one, as an error may cut a
// value short) with [redacted]. Fragments shorter than 8 bytes are ignored:
// they would blank ordinary words.
func redact(msg string, keys ...string) string {
	for _, k := range keys {
		if len(k) < 8 {
			continue
		}
		msg = strings.ReplaceAll(msg, k, "[redacted]")
		for n := len(k) - 1; n >= 8; n-- {
			if i := strings.Index(msg, k[:n]); i >= 0 {
				msg = msg[:i] + "[redacted]" + msg[i+n:]
			}
		}
	}
	return msg
}

// LLMConfigured reports whether an endpoint is configured: a key (OpenAI) or a
// base URL (a local OpenAI-compatible server, which often needs no key).
func (c *Config) LLMConfigured() bool { return c.APIKey != "" || c.BaseURL != "" }

// Endpoint is the base URL in use.
func (c *Config) Endpoint() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	return OpenAIBaseURL
}

// KeyFileExposed reports whether the config file holds a key and can be read by
// other users, which `drill doctor` warns about.
func (c *Config) KeyFileExposed() bool {
	if !c.FileFound || c.Source["api_key"] != FromFile {
		return false
	}
	st, err := os.Stat(c.Path)
	return err == nil && st.Mode().Perm()&0o077 != 0
}
