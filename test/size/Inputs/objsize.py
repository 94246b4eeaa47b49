"""Prints the size objective of ELF object files: .text + .rodata + .data.

Usage: objsize.py FILE.o...   -> one line per file: "<objective> <text>"
       objsize.py --not-larger NEW.o OLD.o  -> exit 1 if NEW's objective is
                                               larger than OLD's
Section families as neuropt's PipelineEvaluator counts them: .text*,
.rodata*, .data* (with .data.rel.ro*), never .bss.
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
        name_off, sh_type, size = h[0], h[1], h[5]
        end = b.index(b"\0", strtab[4] + name_off)
        yield b[strtab[4] + name_off:end].decode(), sh_type, size


def measure(path):
    text = rodata = data = 0
    for name, sh_type, size in sections(path):
        if sh_type == 8:  # SHT_NOBITS
            continue
        fam = lambda base: name == base or name.startswith(base + ".")
        if fam(".text"):
            text += size
        elif fam(".rodata"):
            rodata += size
        elif fam(".data") or name.startswith(".data.rel.ro"):
            data += size
    return text + rodata + data, text


if sys.argv[1] == "--not-larger":
    new, old = measure(sys.argv[2])[0], measure(sys.argv[3])[0]
    print(f"objective {new} vs {old}")
    sys.exit(1 if new > old else 0)
for p in sys.argv[1:]:
    obj, text = measure(p)
    print(obj, text)
