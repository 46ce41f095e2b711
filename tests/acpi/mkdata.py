#!/usr/bin/env python3
# mkdata.py - writes the hand-made DMAR/IVRS tables of tests/data/acpi/
# (well-formed ones covering every record / scope / entry type, and
# malformed ones). The .dat files are committed; rerun this after editing:
#   python3 tests/acpi/mkdata.py tests/data/acpi
# Offsets quoted in comments are asserted by tests/unit/test_acpi.c.
import os
import struct
import sys


def sdt(sig, body, rev=1, fix_checksum=True, length=None):
    total = 36 + len(body)
    hdr = bytearray(sig + struct.pack('<IBB', length or total, rev, 0) +
                    b'THINHV' + b'TESTTBL ' + struct.pack('<I', 1) +
                    b'THNV' + struct.pack('<I', 0x20261125))
    t = hdr + body
    if fix_checksum:
        t[9] = (-sum(t)) & 0xff
    return bytes(t)


def scope(typ, enum_id, bus, path, flags=0):
    body = struct.pack('<BBBBBB', typ, 6 + 2 * len(path), flags, 0,
                       enum_id, bus)
    for d, f in path:
        body += struct.pack('<BB', d, f)
    return body


def rec16(typ, body):
    return struct.pack('<HH', typ, 4 + len(body)) + body


def dmar(records, haw=38, flags=0x07, **kw):
    body = struct.pack('<BB', haw, flags) + bytes(10) + b''.join(records)
    return sdt(b'DMAR', body, **kw)


def drhd(flags, size, seg, base, scopes=b''):
    return rec16(0, struct.pack('<BBHQ', flags, size, seg, base) + scopes)


def rmrr(seg, base, limit, scopes=b''):
    return rec16(1, struct.pack('<HHQQ', 0, seg, base, limit) + scopes)


def atsr(flags, seg, scopes=b''):
    return rec16(2, struct.pack('<BBH', flags, 0, seg) + scopes)


def rhsa(base, dom):
    return rec16(3, struct.pack('<IQI', 0, base, dom))


def andd(num, name):
    return rec16(4, bytes(3) + bytes([num]) + name + b'\0')


def satc(flags, seg, scopes=b''):
    return rec16(5, struct.pack('<BBH', flags, 0, seg) + scopes)


# ---- IVRS
def ivrs(subs, ivinfo=0x00203043, **kw):
    return sdt(b'IVRS', struct.pack('<IQ', ivinfo, 0) + b''.join(subs),
               rev=2, **kw)


def ivhd(typ, flags, devid, base, entries, efr=0):
    if typ == 0x10:
        fixed = struct.pack('<HQHHI', 0x40, base, 0, 0x0013, 0x80048f6e)
    else:
        fixed = struct.pack('<HQHHIQQ', 0x40, base, 0, 0x0013, 0x00040200,
                            efr, 0)
    body = fixed + entries
    return struct.pack('<BBHH', typ, flags, 6 + len(body), devid) + body


def e4(typ, devid, dte=0):
    return struct.pack('<BHB', typ, devid, dte)


def e8(typ, devid, dte, b4, src, b7):
    return struct.pack('<BHBBHB', typ, devid, dte, b4, src, b7)


def e_ext(typ, devid, dte, ext):
    return struct.pack('<BHBI', typ, devid, dte, ext)


def e_hid(devid, dte, hid, cid, fmt, uid):
    return (struct.pack('<BHB', 0xf0, devid, dte) + hid.ljust(8, b'\0') +
            cid.ljust(8, b'\0') + struct.pack('<BB', fmt, len(uid)) + uid)


def ivmd(typ, flags, devid, aux, start, length):
    return struct.pack('<BBHHHQQQ', typ, flags, 32, devid, aux, 0, start,
                       length)


def write(d, name, data):
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def main(d):
    os.makedirs(d, exist_ok=True)
    # Every DMAR record and scope type. DRHD#1 at 48, DRHD#2 (ALL) after.
    good = dmar([
        drhd(0, 1, 0, 0xfed90000,
             scope(1, 0, 0, [(2, 0)]) +
             scope(2, 0, 0, [(0x1c, 0), (0, 0)]) +
             scope(5, 7, 0, [(0x15, 1)])),
        drhd(1, 0, 0, 0xfed91000,
             scope(3, 2, 0xf0, [(0x1f, 0)]) +
             scope(4, 0, 0xf0, [(0x0f, 0)])),
        rmrr(0, 0x7c000000, 0x7c7fffff, scope(1, 0, 0, [(0x14, 0)])),
        atsr(1, 0),
        rhsa(0xfed91000, 1),
        andd(7, b'\\_SB.PCI0.I2C1'),
        satc(1, 0, scope(1, 0, 0, [(2, 0)])),
    ])
    write(d, 'dmar_all_types.dat', good)

    one = drhd(1, 0, 0, 0xfed90000, scope(3, 2, 0xf0, [(0x1f, 0)]))
    # Zero-length record at 0x48 (48 + a 24-byte DRHD).
    t = dmar([one, struct.pack('<HH', 1, 0) + bytes(20)])
    write(d, 'dmar_zero_length.dat', t)  # zero-length record at 0x48
    # Record whose length runs past the table end, at 0x48.
    t = dmar([one, struct.pack('<HH', 1, 0x200) + bytes(20)])
    write(d, 'dmar_overrun.dat', t)
    # Bad checksum (stored byte off by one).
    t = bytearray(dmar([one]))
    t[9] = (t[9] + 1) & 0xff
    write(d, 'dmar_bad_checksum.dat', bytes(t))
    # Shorter than the ACPI header.
    write(d, 'dmar_truncated_header.dat', dmar([one])[:20])
    # Declared length larger than the file.
    write(d, 'dmar_truncated_table.dat', dmar([one])[:60])
    # Unknown record type 0x7f at 0x48, then a valid RMRR still decoded.
    t = dmar([one, rec16(0x7f, bytes(12)),
              rmrr(0, 0x7c000000, 0x7c7fffff, scope(1, 0, 0, [(0x14, 0)]))])
    write(d, 'dmar_unknown_type.dat', t)
    # A scope claiming 0xfe bytes inside a 32-byte DRHD: scope at 0x40.
    bad_scope = bytes([1, 0xfe, 0, 0, 0, 0, 2, 0])
    t = dmar([rec16(0, struct.pack('<BBHQ', 1, 0, 0, 0xfed90000) +
                    bad_scope + bytes(4))])
    write(d, 'dmar_huge_scope.dat', t)

    # IVRS with every device entry type and every IVMD type.
    entries = (
        e4(0x00, 0) +                               # pad
        e4(0x01, 0, 0x00) +                         # all
        e4(0x02, 0x0010, 0xd7) +                    # select 00:02.0
        e4(0x03, 0x0100) + e4(0x04, 0x01ff) +       # range 01:00.0-01:1f.7
        e8(0x42, 0x0200, 0, 0, 0x0208, 0) +         # alias select
        e8(0x43, 0x0300, 0, 0, 0x0308, 0) +         # alias range
        e4(0x04, 0x03ff) +
        e_ext(0x46, 0x0400, 0, 0x80000000) +        # ext select, ATS off
        e_ext(0x47, 0x0500, 0, 0x00000001) +        # ext range
        e4(0x04, 0x05ff) +
        e8(0x48, 0, 0xd7, 0x21, 0x00a0, 1) +        # IOAPIC 33 at 00:14.0
        e8(0x48, 0, 0x00, 0x00, 0x00a0, 2) +        # HPET 0 at 00:14.0
        e_hid(0x00a5, 0x40, b'AMDI0020', b'', 2, b'\\_SB.FUR0') +
        e_hid(0x00a6, 0x40, b'AMDI0040', b'PNP0C50', 1,
              struct.pack('<H', 513)) +
        e_hid(0x00a7, 0x00, b'AMDI0030', b'', 0, b'') +
        e8(0x40, 0, 0, 0, 0, 0)                     # pad8
    )
    t = ivrs([
        ivhd(0x10, 0xb0, 0x0002, 0xfd200000, entries),
        ivhd(0x11, 0xb0, 0x0002, 0xfd200000, entries,
             efr=0x246577efa2254afa),
        ivhd(0x40, 0xb0, 0x0002, 0xfd200000, entries,
             efr=0x246577efa2254afa),
        ivmd(0x20, 0x07, 0, 0, 0x7d900000, 0x100000),
        ivmd(0x21, 0x07, 0x0060, 0, 0x7da00000, 0x1000),
        ivmd(0x22, 0x0f, 0x0100, 0x01ff, 0x7db00000, 0x2000),
    ])
    write(d, 'ivrs_all_types.dat', t)

    # Zero-length subtable at 48.
    write(d, 'ivrs_zero_length.dat',
          ivrs([struct.pack('<BBHH', 0x10, 0, 0, 2) + bytes(18)]))
    # ACPI HID entry whose UID length runs past the IVHD: entry at 72+8=80.
    ent = e4(0x03, 0x0008) + e4(0x04, 0x00ff) + \
        e_hid(0x00a5, 0, b'AMDI0020', b'', 2, b'\\_SB.FUR0')
    h = bytearray(ivhd(0x10, 0xb0, 2, 0xfd200000, ent))
    h[24 + 8 + 21] = 200  # uid length
    write(d, 'ivrs_entry_overrun.dat', ivrs([bytes(h)]))
    # Unknown 16-byte entry 0x85 (skipped) then unknown variable 0xc5 (stop).
    ent = e4(0x02, 0x0008) + bytes([0x85]) + bytes(15) + \
        bytes([0xc5, 0, 0, 0]) + e4(0x02, 0x0010)
    write(d, 'ivrs_unknown_entry.dat',
          ivrs([ivhd(0x10, 0xb0, 2, 0xfd200000, ent)]))
    # Range errors: end without start, start without end, reversed range.
    ent = e4(0x04, 0x00ff) + e4(0x03, 0x0100) + e4(0x02, 0x0008) + \
        e4(0x03, 0x0300) + e4(0x04, 0x02ff)
    write(d, 'ivrs_range_errors.dat',
          ivrs([ivhd(0x10, 0xb0, 2, 0xfd200000, ent)]))
    # Unknown subtable type 0x51 at 48 followed by an IVMD at 80.
    write(d, 'ivrs_unknown_type.dat',
          ivrs([struct.pack('<BBHH', 0x51, 8, 32, 0x300) + bytes(26),
                ivmd(0x21, 0x08, 0x0300, 0, 0x3bc95000, 0x26000)]))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'tests/data/acpi')
