package exercises

import (
	"embed"
	"errors"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
)

// Calibration answers sit next to each exercise as <id>.calib.yaml: answers per
// task that test the grader, not the learner.
//
//go:embed */*.calib.yaml
var calibrationFiles embed.FS

// CalibrationAnswers are the hand-written answers of one task, by kind.
type CalibrationAnswers struct {
	Strong  string `yaml:"strong"`
	Partial string `yaml:"partial"`
	Vague   string `yaml:"vague"`
	// OffTopic answers another question entirely.
	OffTopic string `yaml:"off_topic"`
	// Paraphrase and Wrong are written blind, from the prompt alone: correct in
	// plain words, and fluent but false.
	Paraphrase string `yaml:"paraphrase"`
	Wrong      string `yaml:"wrong"`
}

// ErrNoCalibration is returned for an exercise without a calibration file.
var ErrNoCalibration = errors.New("no calibration answers")

// Calibration reads the exercise's calibration answers, per task id: from the
// embedded bank, or next to a learner's file.
func (e *Exercise) Calibration() (map[string]CalibrationAnswers, string, error) {
	var name string
	var data []byte
	var err error
	if rest, ok := strings.CutPrefix(e.File, "embedded:"); ok {
		name = strings.TrimSuffix(rest, ".md") + ".calib.yaml"
		data, err = calibrationFiles.ReadFile(name)
		name = "embedded:" + name
	} else {
		name = strings.TrimSuffix(e.File, ".md") + ".calib.yaml"
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, name, ErrNoCalibration
	}
	var c map[string]CalibrationAnswers
	if err := yaml.UnmarshalWithOptions(data, &c, yaml.DisallowUnknownField()); err != nil {
		return nil, name, err
	}
	return c, name, nil
}
