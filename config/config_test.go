package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func writeConfig(t *testing.T, body string) (dir string) {
	t.Helper()
	dir = t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "drill"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "drill", "config.yaml"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDefaultsWithoutFile(t *testing.T) {
	c, err := Load(env(map[string]string{"XDG_CONFIG_HOME": t.TempDir()}))
	if err != nil {
		t.Fatal(err)
	}
	if c.FileFound || c.LLMConfigured() || c.Model != DefaultModel || c.LLMTimeout != DefaultTimeout ||
		c.DesiredRetention != 0.9 || c.Endpoint() != OpenAIBaseURL {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestFileThenEnvironment(t *testing.T) {
	dir := writeConfig(t, `openai_base_url: http://localhost:11434/v1/
llm_model: llama3.1
llm_timeout: 2m
llm_grading: true
desired_retention: 0.85
hide_streak: true
`)
	c, err := Load(env(map[string]string{"XDG_CONFIG_HOME": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.LLMConfigured() || c.Endpoint() != "http://localhost:11434/v1" || c.Model != "llama3.1" ||
		c.LLMTimeout != 2*time.Minute || !c.LLMGrading || c.DesiredRetention != 0.85 || !c.HideStreak {
		t.Fatalf("file: %+v", c)
	}
	if c.Source["base_url"] != FromFile || c.Source["model"] != FromFile || c.Source["api_key"] != FromDefault {
		t.Fatalf("sources: %v", c.Source)
	}

	c, err = Load(env(map[string]string{"XDG_CONFIG_HOME": dir, "DRILL_LLM_MODEL": "qwen2.5", "OPENAI_API_KEY": "sk-secret-value"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Model != "qwen2.5" || c.Source["model"] != FromEnv || c.Source["api_key"] != FromEnv {
		t.Fatalf("env: %+v", c)
	}
	if s := c.String(); strings.Contains(s, "sk-secret-value") || !strings.Contains(s, "api_key=set") {
		t.Fatalf("String leaks or hides the key state: %s", s)
	}
}

func TestBadFileSaysWhere(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"llm_modle: x\n", "llm_modle"},
		{"llm_timeout: soon\n", "llm_timeout"},
		{"llm_timeout: -1s\n", "positive duration"},
		{"desired_retention: 1.5\n", "between 0 and 1"},
	} {
		dir := writeConfig(t, tc.body)
		_, err := Load(env(map[string]string{"XDG_CONFIG_HOME": dir}))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want it to mention %q", tc.body, err, tc.want)
		}
	}
}

func TestKeyFileExposed(t *testing.T) {
	dir := writeConfig(t, "openai_api_key: sk-file\n")
	c, err := Load(env(map[string]string{"XDG_CONFIG_HOME": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if c.KeyFileExposed() {
		t.Fatal("mode 0600 reported as exposed")
	}
	if err := os.Chmod(c.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	if !c.KeyFileExposed() {
		t.Fatal("mode 0644 with a key not reported")
	}
}

// A broken file must not print the key that sits next to the error: the YAML
// library quotes the surrounding lines unless told not to.
func TestBrokenFileNeverPrintsTheKey(t *testing.T) {
	const key = "sk-proj-Zx8fQ2LmN4pR7sT1vW3yA5bC"
	for _, body := range []string{
		"openai_api_key: " + key + "\nllm_model: [unclosed\n",
		"openai_api_key: " + key + "\n  llm_model: x\n",
		"openai_api_key: \"" + key + "\n",
		"llm_model: x\nopenai_api_key: " + key + "\ndesired_retention: high\n",
		"openai_api_key: [" + key + "]\n",
		"openai_api_key: " + key + "\nopenai_api_key: " + key + "\n",
		"llm_grading: " + key + "\n",
	} {
		dir := writeConfig(t, body)
		_, err := Load(env(map[string]string{"XDG_CONFIG_HOME": dir}))
		if err == nil {
			t.Errorf("%q: no error", body)
			continue
		}
		if strings.Contains(err.Error(), key[8:16]) {
			t.Errorf("%q: the error shows the key: %v", body, err)
		}
		if !strings.Contains(err.Error(), "config.yaml") {
			t.Errorf("%q: the error does not name the file: %v", body, err)
		}
	}
}

// A YAML syntax error still says where it is.
func TestSyntaxErrorSaysLine(t *testing.T) {
	dir := writeConfig(t, "llm_model: x\nopenai_api_key: sk-abcdefghijklmnop\n  llm_timeout: 3s\n")
	_, err := Load(env(map[string]string{"XDG_CONFIG_HOME": dir}))
	if err == nil || !strings.Contains(err.Error(), "[3:") && !strings.Contains(err.Error(), "[2:") {
		t.Fatalf("err = %v, want a line number", err)
	}
}

// FuzzLoadFile: any file either loads or fails with a message, never a panic,
// and the message never carries the key written in the file.
func FuzzLoadFile(f *testing.F) {
	f.Add("llm_model: [x\n")
	f.Add("llm_timeout: soon\n")
	f.Add("desired_retention: 0.85\nhide_streak: true\n")
	f.Add("&a [*a]\n")
	f.Add("\tllm_model: x\n")
	const key = "sk-fuzzSECRETfuzzSECRET"
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, rest string) {
		path := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(path, []byte("openai_api_key: "+key+"\n"+rest), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := LoadFile(path, env(nil))
		if err != nil {
			if strings.Contains(err.Error(), "fuzzSECRET") {
				t.Fatalf("error shows the key: %v", err)
			}
			return
		}
		if c.DesiredRetention <= 0 || c.DesiredRetention >= 1 || c.LLMTimeout <= 0 {
			t.Fatalf("loaded an out-of-range setting: %+v", c)
		}
	})
}

// The theme is auto unless the file says dark or light; anything else is an
// error that names the setting and the values it takes.
func TestTheme(t *testing.T) {
	c, err := Load(env(map[string]string{"XDG_CONFIG_HOME": t.TempDir()}))
	if err != nil || c.Theme != ThemeAuto {
		t.Fatalf("default theme %q, %v", c.Theme, err)
	}
	for body, want := range map[string]string{"theme: light\n": ThemeLight, "theme: Dark\n": ThemeDark, "theme: auto\n": ThemeAuto} {
		c, err := Load(env(map[string]string{"XDG_CONFIG_HOME": writeConfig(t, body)}))
		if err != nil || c.Theme != want {
			t.Errorf("%q: theme %q, %v; want %q", body, c.Theme, err, want)
		}
	}
	_, err = Load(env(map[string]string{"XDG_CONFIG_HOME": writeConfig(t, "theme: solarized\n")}))
	if err == nil || !strings.Contains(err.Error(), `theme must be dark, light or auto, not "solarized"`) {
		t.Fatalf("bad theme: %v", err)
	}
}
