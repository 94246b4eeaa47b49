"""Prints the size objective of ELF object files: .text + .rodata + .data.

Usage: objsize.py FILE.o...   -> one line per file:
                                 "<objective> <text> <eh_frame>"
       objsize.py --not-larger NEW.o OLD.o  -> exit 1 if NEW's objective, or
                                               its objective plus .eh_frame,
                                               is larger than OLD's
Section families as neuropt's PipelineEvaluator counts them: .text*,
.rodata*, .data* (with .data.rel.ro*), never .bss; .eh_frame apart.
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
    text = rodata = data = eh_frame = 0
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
        elif name == ".eh_frame":
            eh_frame += size
    return text + rodata + data, text, eh_frame


if sys.argv[1] == "--not-larger":
    new, old = measure(sys.argv[2]), measure(sys.argv[3])
    print(f"objective {new[0]} vs {old[0]}, with .eh_frame "
          f"{new[0] + new[2]} vs {old[0] + old[2]}")
    sys.exit(1 if new[0] > old[0] or new[0] + new[2] > old[0] + old[2] else 0)
for p in sys.argv[1:]:
    obj, text, eh_frame = measure(p)
    print(obj, text, eh_frame)
