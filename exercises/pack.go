package exercises

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"reflect"
	"sync"
	"syscall"
	"unsafe"
)

// A pack holds parsed, validated exercises so that a command does not parse YAML:
// the cache of the learner's own folder is a pack.
//
// Each entry's message is the encoding of one exercise (codec.go), so a command
// that needs one exercise reads and decodes one. The codec carries every
// exported field, so fields added to Exercise travel without a change here.
//
// On disk: "drillpk2", the CRC-32C and length of the index (4 bytes each, little
// endian), the index, then the messages. Each entry carries the CRC-32C of its
// message, checked before it is decoded: a damaged cache is never trusted.
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
	packFormat = 2
	packMagic  = "drillpk2"
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
	buf  []byte
	msgs bytes.Buffer
}

// newPackBuilder starts a pack.
func newPackBuilder(key string) *packBuilder {
	return &packBuilder{idx: packIndex{Format: packFormat, Key: key}}
}

// add appends the entry of ex, encoding it.
func (b *packBuilder) add(ex *Exercise, e *packEntry) {
	b.buf = appendValue(b.buf[:0], reflect.ValueOf(ex).Elem())
	e.ID, e.Module, e.Order, e.Level = ex.ID, ex.Module, ex.Order, ex.Level
	b.addMsg(e, b.buf)
}

// addMsg appends an entry whose message is already encoded.
func (b *packBuilder) addMsg(e *packEntry, msg []byte) {
	e.Off, e.Len, e.Sum = int64(b.msgs.Len()), int64(len(msg)), crc32.Checksum(msg, castagnoli())
	b.msgs.Write(msg)
	b.idx.Entries = append(b.idx.Entries, e)
}

// addProblem appends an entry for a file that has problems and no exercise.
func (b *packBuilder) addProblem(e *packEntry) {
	b.idx.Entries = append(b.idx.Entries, e)
}

func (b *packBuilder) pack() *pack {
	return &pack{packIndex: b.idx, msgs: bytes.NewReader(b.msgs.Bytes())}
}

// marshal returns the pack as written to disk.
func (b *packBuilder) marshal() []byte {
	idx := appendValue(nil, reflect.ValueOf(&b.idx).Elem())
	out := make([]byte, 0, packHead+len(idx)+b.msgs.Len())
	out = append(out, packMagic...)
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(idx, castagnoli()))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(idx)))
	out = append(out, idx...)
	return append(out, b.msgs.Bytes()...)
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
	if err := decodeInto(bytesAsString(idx), &p.packIndex); err != nil {
		return nil, err
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

// decode decodes the exercises of entries, in the order given.
func (p *pack) decode(entries []*packEntry) ([]*Exercise, error) {
	out := make([]*Exercise, len(entries))
	for i, e := range entries {
		m, err := p.msg(e)
		if err != nil {
			return nil, err
		}
		var ex Exercise
		if err := decodeInto(bytesAsString(m), &ex); err != nil {
			return nil, err
		}
		out[i] = &ex
	}
	return out, nil
}

// bytesAsString returns b as a string without copying it. b must never change
// afterwards: it is a buffer read for decoding and kept only by the strings
// decoded from it, which is what saves copying every field of every entry.
func bytesAsString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
