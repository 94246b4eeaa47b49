"""Prints the size objective of ELF object files: .text + .rodata + .data.

Usage: objsize.py FILE.o...   -> one line per file:
                                 "<objective> <text> <eh_frame> <fdes>"
       objsize.py --not-larger NEW.o OLD.o  -> exit 1 if NEW's objective, or
                                               its objective plus unwind
                                               tables, is larger than OLD's
Section families as neuropt's PipelineEvaluator counts them: .text*,
.rodata*, .data* (with .data.rel.ro*), never .bss; .eh_frame apart, with
its FDEs, each of which gets an 8-byte .eh_frame_hdr entry once linked.
"""
import struct
import sys


def sections(path):
    with open(path, "rb") as f:
        b = f.read()
    if b[:4] != b"\x7fELF" or b[4] != 2:
        sys.exit(f"{path}: not a 64-bit ELF object")
    shoff, = struct.unpack_from("<Q", b, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", b, 0x3A)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * shentsize)
            for i in range(shnum)]
    strtab = hdrs[shstrndx]
    for h in hdrs:
        name_off, sh_type, offset, size = h[0], h[1], h[4], h[5]
        end = b.index(b"\0", strtab[4] + name_off)
        yield (b[strtab[4] + name_off:end].decode(), sh_type, size,
               b[offset:offset + size])


def count_fdes(data):
    """FDEs of an .eh_frame: length-prefixed records, CIEs have id 0."""
    n = off = 0
    while off + 4 <= len(data):
        length, = struct.unpack_from("<I", data, off)
        off += 4
        if length == 0:
            break
        if length == 0xFFFFFFFF:
            length, = struct.unpack_from("<Q", data, off)
            off += 8
        if struct.unpack_from("<I", data, off)[0] != 0:
            n += 1
        off += length
    return n


def measure(path):
    text = rodata = data = eh_frame = fdes = 0
    for name, sh_type, size, contents in sections(path):
        if sh_type == 8:  # SHT_NOBITS
            continue
        fam = lambda base: name == base or name.startswith(base + ".")
        if fam(".text"):
            text += size
        elif fam(".rodata"):
            rodata += size
        elif fam(".data") or name.startswith(".data.rel.ro"):
            data += size
        elif name == ".eh_frame":
            eh_frame += size
            fdes += count_fdes(contents)
    return text + rodata + data, text, eh_frame, fdes


def with_unwind(m):
    return m[0] + m[2] + 8 * m[3]


if sys.argv[1] == "--not-larger":
    new, old = measure(sys.argv[2]), measure(sys.argv[3])
    print(f"objective {new[0]} vs {old[0]}, with unwind tables "
          f"{with_unwind(new)} vs {with_unwind(old)}")
    sys.exit(1 if new[0] > old[0] or with_unwind(new) > with_unwind(old) else 0)
for p in sys.argv[1:]:
    print(*measure(p))
