package exercises

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// A pack holds parsed, validated exercises so that a command does not parse YAML:
// the compiled bank (bank.gob, built by go generate) and the cache of the learner's
// own folder are packs.
//
// The exercises are one gob stream cut into pieces: Pre is what the encoder sends
// before any value (the type definitions, followed by an empty Exercise), and each
// entry's Msg is the message of one exercise. Pre followed by every Msg is the
// stream as written, so the whole pack decodes with one decoder; Pre followed by a
// single Msg is a valid stream too, so a command that needs one exercise decodes one.
// gob carries every exported field, so fields added to Exercise travel without a
// change here.
type pack struct {
	// Format changes when this layout does; a pack of another format is not read.
	Format int
	// Key says what the pack was built from: the hash of the bank's sources, or the
	// drill build and folder for a cache.
	Key     string
	Pre     []byte
	Entries []*packEntry
}

// packEntry is one file: where it came from, its problems, and its exercise when
// it has none.
type packEntry struct {
	File     string
	ID       string
	Module   string
	Order    int
	Level    int
	Problems []Problem
	Msg      []byte

	// Size and ModTime identify the version of a learner's file that was parsed.
	Size    int64
	ModTime int64
}

const packFormat = 1

// newPackEncoder returns an encoder and the preamble of its stream. The preamble
// is taken from an empty Exercise so that every type is defined before the first
// real exercise.
func newPackEncoder() (*gob.Encoder, *bytes.Buffer, []byte, error) {
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(&Exercise{}); err != nil {
		return nil, nil, nil, err
	}
	pre := bytes.Clone(buf.Bytes())
	buf.Reset()
	return enc, &buf, pre, nil
}

// encodeMsg appends ex's message to e.
func encodeMsg(enc *gob.Encoder, buf *bytes.Buffer, ex *Exercise) ([]byte, error) {
	buf.Reset()
	if err := enc.Encode(ex); err != nil {
		return nil, fmt.Errorf("encode exercise %s: %w", ex.ID, err)
	}
	return bytes.Clone(buf.Bytes()), nil
}

// decodeOne decodes the exercise of entry e alone.
func (p *pack) decodeOne(e *packEntry) (*Exercise, error) {
	dec := gob.NewDecoder(io.MultiReader(bytes.NewReader(p.Pre), bytes.NewReader(e.Msg)))
	var skip Exercise
	if err := dec.Decode(&skip); err != nil {
		return nil, err
	}
	var ex Exercise
	if err := dec.Decode(&ex); err != nil {
		return nil, err
	}
	return &ex, nil
}

// decodeAll decodes the exercises of entries (in pack order) with one decoder.
func (p *pack) decodeAll(entries []*packEntry) ([]*Exercise, error) {
	rs := []io.Reader{bytes.NewReader(p.Pre)}
	for _, e := range entries {
		rs = append(rs, bytes.NewReader(e.Msg))
	}
	dec := gob.NewDecoder(io.MultiReader(rs...))
	var skip Exercise
	if err := dec.Decode(&skip); err != nil {
		return nil, err
	}
	out := make([]*Exercise, len(entries))
	for i := range entries {
		var ex Exercise
		if err := dec.Decode(&ex); err != nil {
			return nil, err
		}
		out[i] = &ex
	}
	return out, nil
}

// A pack file is a CRC-32C of the rest, then the gob of the pack. The checksum is
// what lets a damaged cache be told from a good one before gob reads it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func marshalPack(p *pack) ([]byte, error) {
	var buf bytes.Buffer
	buf.Write(make([]byte, 4))
	if err := gob.NewEncoder(&buf).Encode(p); err != nil {
		return nil, err
	}
	out := buf.Bytes()
	binary.LittleEndian.PutUint32(out, crc32.Checksum(out[4:], castagnoli))
	return out, nil
}

var errBadPack = errors.New("damaged or from another version")

func unmarshalPack(data []byte) (*pack, error) {
	if len(data) < 4 || binary.LittleEndian.Uint32(data) != crc32.Checksum(data[4:], castagnoli) {
		return nil, errBadPack
	}
	var p pack
	if err := gob.NewDecoder(bytes.NewReader(data[4:])).Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadPack, err)
	}
	if p.Format != packFormat {
		return nil, errBadPack
	}
	return &p, nil
}
