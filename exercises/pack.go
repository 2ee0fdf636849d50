package exercises

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"
	"syscall"
)

// A pack holds parsed, validated exercises so that a command does not parse YAML:
// the compiled bank (bank.gob, built by go generate) and the cache of the learner's
// own folder are packs.
//
// The exercises are one gob stream cut into pieces: Pre is what the encoder sends
// before any value (the type definitions, followed by an empty Exercise), and each
// entry's message is the encoding of one exercise. Pre followed by every message is
// the stream as written, so the whole pack decodes with one decoder; Pre followed by
// a single message is a valid stream too, so a command that needs one exercise
// reads and decodes one. gob carries every exported field, so fields added to
// Exercise travel without a change here.
//
// On disk: "drillpk1", the CRC-32C and length of the index (4 bytes each, little
// endian), the index as gob, then the messages. Each entry carries the CRC-32C of
// its message, checked before gob reads it: a damaged cache is never trusted.
type pack struct {
	packIndex
	msgs io.ReaderAt // the messages; offsets are relative to base
	base int64
	// path is the cache file the pack was read from, "" for others.
	path string
}

type packIndex struct {
	// Format changes when this layout does; a pack of another format is not read.
	Format int
	// Key says what the pack was built from: the hash of the bank's sources, or the
	// drill build and folder for a cache.
	Key     string
	Pre     []byte
	Entries []*packEntry
}

// packEntry is one file: where it came from, its problems, and where its exercise's
// message is when it has no problems.
type packEntry struct {
	File     string
	ID       string
	Module   string
	Order    int
	Level    int
	Problems []Problem
	Off, Len int64
	Sum      uint32

	// Size and ModTime identify the version of a learner's file that was parsed.
	Size    int64
	ModTime int64
}

const (
	packFormat = 1
	packMagic  = "drillpk1"
	packHead   = len(packMagic) + 8
	// maxIndex bounds the index read from a cache file before its checksum is known.
	maxIndex = 64 << 20
)

var errBadPack = errors.New("damaged or from another version")

// castagnoli is built on first use: a table made at package initialisation would
// be paid by every command, --help included.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// packBuilder encodes exercises into a new pack.
type packBuilder struct {
	idx  packIndex
	enc  *gob.Encoder
	buf  bytes.Buffer
	msgs bytes.Buffer
}

// newPackBuilder starts a pack. The preamble is taken from an empty Exercise so
// that every type is defined before the first real exercise.
func newPackBuilder(key string) (*packBuilder, error) {
	b := &packBuilder{idx: packIndex{Format: packFormat, Key: key}}
	b.enc = gob.NewEncoder(&b.buf)
	if err := b.enc.Encode(&Exercise{}); err != nil {
		return nil, err
	}
	b.idx.Pre = bytes.Clone(b.buf.Bytes())
	return b, nil
}

// add appends the entry of ex, encoding it.
func (b *packBuilder) add(ex *Exercise, e *packEntry) error {
	b.buf.Reset()
	if err := b.enc.Encode(ex); err != nil {
		return fmt.Errorf("encode exercise %s: %w", ex.ID, err)
	}
	e.ID, e.Module, e.Order, e.Level = ex.ID, ex.Module, ex.Order, ex.Level
	return b.addMsg(e, b.buf.Bytes())
}

// addMsg appends an entry whose message is already encoded (with the same Pre).
func (b *packBuilder) addMsg(e *packEntry, msg []byte) error {
	e.Off, e.Len, e.Sum = int64(b.msgs.Len()), int64(len(msg)), crc32.Checksum(msg, castagnoli())
	b.msgs.Write(msg)
	b.idx.Entries = append(b.idx.Entries, e)
	return nil
}

// addProblem appends an entry for a file that has problems and no exercise.
func (b *packBuilder) addProblem(e *packEntry) {
	b.idx.Entries = append(b.idx.Entries, e)
}

func (b *packBuilder) pack() *pack {
	return &pack{packIndex: b.idx, msgs: bytes.NewReader(b.msgs.Bytes())}
}

// marshal returns the pack as written to disk.
func (b *packBuilder) marshal() ([]byte, error) {
	var idx bytes.Buffer
	if err := gob.NewEncoder(&idx).Encode(&b.idx); err != nil {
		return nil, err
	}
	out := make([]byte, 0, packHead+idx.Len()+b.msgs.Len())
	out = append(out, packMagic...)
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(idx.Bytes(), castagnoli()))
	out = binary.LittleEndian.AppendUint32(out, uint32(idx.Len()))
	out = append(out, idx.Bytes()...)
	return append(out, b.msgs.Bytes()...), nil
}

// readPack reads the index of a pack from r (size bytes long); the messages stay
// in r and are read when decoded.
func readPack(r io.ReaderAt, size int64) (*pack, error) {
	head := make([]byte, packHead)
	if size < int64(packHead) {
		return nil, errBadPack
	}
	if _, err := r.ReadAt(head, 0); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadPack, err)
	}
	if string(head[:len(packMagic)]) != packMagic {
		return nil, errBadPack
	}
	sum := binary.LittleEndian.Uint32(head[len(packMagic):])
	n := int64(binary.LittleEndian.Uint32(head[len(packMagic)+4:]))
	if n > maxIndex || int64(packHead)+n > size {
		return nil, errBadPack
	}
	idx := make([]byte, n)
	if _, err := r.ReadAt(idx, int64(packHead)); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadPack, err)
	}
	if crc32.Checksum(idx, castagnoli()) != sum {
		return nil, errBadPack
	}
	p := &pack{msgs: r, base: int64(packHead) + n}
	if err := gob.NewDecoder(bytes.NewReader(idx)).Decode(&p.packIndex); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadPack, err)
	}
	if p.Format != packFormat {
		return nil, errBadPack
	}
	for _, e := range p.Entries {
		if e.Off < 0 || e.Len < 0 || p.base+e.Off+e.Len > size {
			return nil, errBadPack
		}
	}
	return p, nil
}

func unmarshalPack(data []byte) (*pack, error) {
	return readPack(bytes.NewReader(data), int64(len(data)))
}

// openPack reads the index of the pack file at path and keeps the file open for
// its messages. The file is replaced by rename, never rewritten in place, so what
// is open stays what was indexed.
func openPack(path string) (*pack, error) {
	// Without blocking: a FIFO put in the cache's place must not hang drill.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errBadPack
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	p, err := readPack(f, fi.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	p.path = path
	return p, nil
}

// msg reads the message of e and checks it.
func (p *pack) msg(e *packEntry) ([]byte, error) {
	buf := make([]byte, e.Len)
	if _, err := p.msgs.ReadAt(buf, p.base+e.Off); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadPack, err)
	}
	if crc32.Checksum(buf, castagnoli()) != e.Sum {
		return nil, errBadPack
	}
	return buf, nil
}

// decode decodes the exercises of entries with one decoder, in the order given.
func (p *pack) decode(entries []*packEntry) ([]*Exercise, error) {
	rs := []io.Reader{bytes.NewReader(p.Pre)}
	for _, e := range entries {
		m, err := p.msg(e)
		if err != nil {
			return nil, err
		}
		rs = append(rs, bytes.NewReader(m))
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
