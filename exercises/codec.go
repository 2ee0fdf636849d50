package exercises

import (
	"encoding/binary"
	"fmt"
	"reflect"
)

// The pack's encoding: every exported field of a struct, in declaration order,
// found by reflection as gob would find them, so that a field added to
// Exercise travels without a change here. It is a few dozen lines instead of
// gob because gob's type machinery is built at start-up by every command and
// its decoder allocates per value; a pack is only ever read by the build of
// drill that wrote it (its key names the build), so the format needs no type
// descriptions.
//
//	string, []byte  uvarint length, bytes
//	int kinds       zig-zag varint
//	uint kinds      uvarint
//	bool            one byte
//	slice           uvarint length (0 for nil), elements
//	pointer         one byte (0 nil, 1 set), then the element
//	struct          its exported fields

// appendValue appends the encoding of v.
func appendValue(b []byte, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.String:
		b = binary.AppendUvarint(b, uint64(v.Len()))
		return append(b, v.String()...)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return binary.AppendUvarint(b, v.Uint())
	case reflect.Bool:
		if v.Bool() {
			return append(b, 1)
		}
		return append(b, 0)
	case reflect.Slice:
		b = binary.AppendUvarint(b, uint64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			b = appendValue(b, v.Index(i))
		}
		return b
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 0)
		}
		return appendValue(append(b, 1), v.Elem())
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				b = appendValue(b, v.Field(i))
			}
		}
		return b
	}
	// A field of another kind needs a case above; the tests round-trip the
	// whole bank, so this cannot ship unnoticed.
	panic(fmt.Sprintf("exercises: cannot encode a %s", v.Type()))
}

// decoder reads what appendValue wrote. It reads from a string so that the
// strings it returns share its memory instead of each being copied.
type decoder struct {
	s     string
	off   int
	err   error
	depth int
}

// maxDepth bounds the nesting of values: an exercise nests a few levels (a
// task's follow-ups), and damage must not recurse once per byte.
const maxDepth = 32

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errBadPack
	}
	d.off = len(d.s)
}

func (d *decoder) uvarint() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if d.off >= len(d.s) {
			break
		}
		c := d.s[d.off]
		d.off++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			// Only the shortest encoding is valid, as appendValue writes it.
			if c == 0 && shift > 0 || shift == 63 && c > 1 {
				break
			}
			return v
		}
	}
	d.fail()
	return 0
}

// varint undoes binary.AppendVarint's zig-zag encoding.
func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// flag reads a byte that is 0 or 1: a bool, or whether a pointer is set.
// Anything else is damage, read as false.
func (d *decoder) flag() bool {
	if d.off >= len(d.s) || d.s[d.off] > 1 {
		d.fail()
		return false
	}
	d.off++
	return d.s[d.off-1] == 1
}

// length reads a length and checks that many bytes can still follow: every
// element takes at least one, so damage never makes a huge allocation.
func (d *decoder) length() int {
	n := d.uvarint()
	if n > uint64(len(d.s)-d.off) {
		d.fail()
		return 0
	}
	return int(n)
}

// value decodes into v, which must be settable.
func (d *decoder) value(v reflect.Value) {
	if d.err != nil {
		return
	}
	switch v.Kind() {
	case reflect.String:
		n := d.length()
		v.SetString(d.s[d.off : d.off+n])
		d.off += n
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(d.varint())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(d.uvarint())
	case reflect.Bool:
		v.SetBool(d.flag())
	case reflect.Slice:
		n := d.length()
		if n == 0 {
			return
		}
		if et := v.Type().Elem(); et.Kind() == reflect.Pointer && et.Elem().Kind() == reflect.Struct {
			d.pointers(v, n)
			return
		}
		// Grown as elements decode, not made n long at once: a damaged
		// length then costs only the bytes that are really there.
		s := reflect.MakeSlice(v.Type(), 0, min(n, 16))
		for i := 0; i < n && d.err == nil; i++ {
			e := reflect.New(v.Type().Elem()).Elem()
			d.value(e)
			s = reflect.Append(s, e)
		}
		v.Set(s)
	case reflect.Pointer:
		if !d.flag() {
			return
		}
		p := reflect.New(v.Type().Elem())
		d.value(p.Elem())
		v.Set(p)
	case reflect.Struct:
		if d.depth++; d.depth > maxDepth {
			d.fail()
			return
		}
		t := v.Type()
		for i := 0; i < t.NumField() && d.err == nil; i++ {
			if t.Field(i).IsExported() {
				d.value(v.Field(i))
			}
		}
		d.depth--
	default:
		panic(fmt.Sprintf("exercises: cannot decode a %s", v.Type()))
	}
}

// pointers decodes a slice of n pointers to structs (a pack's entries, an
// exercise's tasks and points). The structs are allocated in blocks rather
// than one by one: with 500 entries in a learner's folder, that is what every
// command allocates least of. n is at most the bytes left, since each pointer
// takes at least one, so the slice of pointers is bounded by the input.
func (d *decoder) pointers(v reflect.Value, n int) {
	s := reflect.MakeSlice(v.Type(), n, n)
	st := v.Type().Elem().Elem()
	var block reflect.Value
	used := 0
	for i := 0; i < n && d.err == nil; i++ {
		if !d.flag() {
			continue
		}
		if !block.IsValid() || used == block.Len() {
			block, used = reflect.MakeSlice(reflect.SliceOf(st), min(n-i, 64), min(n-i, 64)), 0
		}
		p := block.Index(used).Addr()
		used++
		d.value(p.Elem())
		s.Index(i).Set(p)
	}
	v.Set(s)
}

// decodeInto decodes all of s into *ptr; anything left over is damage.
func decodeInto(s string, ptr any) error {
	d := &decoder{s: s}
	d.value(reflect.ValueOf(ptr).Elem())
	if d.err == nil && d.off != len(d.s) {
		d.fail()
	}
	return d.err
}
