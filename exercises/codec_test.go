package exercises

import (
	"reflect"
	"strings"
	"testing"
)

// Every exercise of the bank survives the codec with every exported field,
// the way a learner's cached exercise must.
func TestCodecRoundTripsTheBank(t *testing.T) {
	for _, ex := range compiledExercises {
		msg := appendValue(nil, reflect.ValueOf(ex).Elem())
		var got Exercise
		if err := decodeInto(string(msg), &got); err != nil {
			t.Fatalf("%s: %v", ex.ID, err)
		}
		if d := firstDifference(reflect.ValueOf(&got), reflect.ValueOf(ex), ex.ID); d != "" {
			t.Fatalf("%s differs after the round trip", d)
		}
	}
}

// Damaged input is an error, never a panic or a huge allocation: every
// truncation and a flipped byte at every offset of a real message.
func TestCodecRefusesDamage(t *testing.T) {
	ex := compiledExercises[0]
	msg := string(appendValue(nil, reflect.ValueOf(ex).Elem()))
	for i := 0; i < len(msg); i += 1 + i/64 {
		var got Exercise
		if err := decodeInto(msg[:i], &got); err == nil {
			t.Fatalf("a message cut at %d of %d bytes decoded", i, len(msg))
		}
		flipped := msg[:i] + string(msg[i]^0xff) + msg[i+1:]
		_ = decodeInto(flipped, &got) // may decode to something else; must not panic
	}
	var got Exercise
	if err := decodeInto(msg+"x", &got); err == nil {
		t.Fatal("trailing bytes accepted")
	}
	huge := string([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}) + strings.Repeat("a", 10)
	if err := decodeInto(huge, &got); err == nil {
		t.Fatal("a string longer than the message decoded")
	}
}

func FuzzDecode(f *testing.F) {
	// A small exercise: the fuzzer minimises what it finds, and a whole bank
	// exercise as the seed makes that slow.
	small := &Exercise{ID: "x", Level: 2, Tags: []string{"t"}, Tasks: []*Task{{ID: "t", MaxWords: 50,
		Rubric: []*Point{{ID: "p", Weight: 2, Say: []string{"a + b"}}}, FollowUps: []*Task{{ID: "f"}}}}}
	f.Add(string(appendValue(nil, reflect.ValueOf(small).Elem())))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		var ex Exercise
		if decodeInto(s, &ex) == nil {
			// What decodes encodes back to the same bytes.
			if again := string(appendValue(nil, reflect.ValueOf(&ex).Elem())); again != s {
				t.Fatalf("decoded %q, encodes back as %q", s, again)
			}
		}
	})
}
