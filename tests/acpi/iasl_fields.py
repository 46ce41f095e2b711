#!/usr/bin/env python3
# iasl_fields.py - compare `thinhv acpi --fields` with `iasl -d`, field by
# field, for DMAR/IVRS tables (host test helper, run by the CUnit suite
# acpi_iasl via `make unit`).
#
# usage: iasl_fields.py --cli THINHV --cache DIR [-v] PATH...
#   PATH: .dat tables or directories of them (searched recursively).
#
# Both sides are normalized to (byte offset, field name) -> value:
#   thinhv prints "OFFSET NAME VALUE" lines itself; this script turns
#   iasl's "[OFFh DEC LEN] Field Name : Value" lines into the same names
#   using the subtable context (which subtable / scope / entry a line is in).
# Every iasl field must exist on the thinhv side with the same value, and
# every thinhv field must exist on the iasl side, except inside what iasl
# 20200925 cannot decode: after an unknown DMAR subtable iasl stops (it
# knows no SATC/SIDP), and an unknown IVRS subtable (IVHD type 40h, which
# iasl 20200925 predates) is skipped after its 6-byte header. Those thinhv
# fields are counted and reported as "not comparable", never silently.
# iasl 20200925 also predates the variable-length ACPI HID entry (F0h): it
# sizes it as 4 bytes and loses step, so from the first F0h entry to the end
# of that IVHD its output is not a reference (also counted). It prints a
# clamped number in the Subtable Type line of an unknown DMAR subtable; the
# real type is taken from its "**** Unknown DMAR subtable type" message.
# Malformed tables: where thinhv reports an ERROR (zero-length or
# overrunning record, bad scope, ...) past the SDT header, iasl typically
# decodes on regardless (reading garbage or past the record), so both sides
# are compared only below the offset of thinhv's first error; the number of
# such tables and of fields cut is printed. A table iasl cannot disassemble
# at all (truncated header, length beyond the file) is counted as skipped
# with iasl's reason. iasl's header-ID strings replace non-printable bytes
# with spaces; thinhv's \xHH escapes are mapped likewise for those fields.
# Exit status: 0 all compared fields agree, 1 mismatches, 2 usage/tooling.
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

LINE = re.compile(r'^\[([0-9A-F]+)h (\d+)\s+(\d+)\]\s+(.*?) : (.*)$')

HEADER = {
    'Signature': 'hdr.signature',
    'Table Length': 'hdr.length',
    'Revision': 'hdr.revision',
    'Checksum': 'hdr.checksum',
    'Oem ID': 'hdr.oem_id',
    'Oem Table ID': 'hdr.oem_table_id',
    'Oem Revision': 'hdr.oem_revision',
    'Asl Compiler ID': 'hdr.creator_id',
    'Asl Compiler Revision': 'hdr.creator_revision',
}

HEADER_STRINGS = ('hdr.oem_id', 'hdr.oem_table_id', 'hdr.creator_id')

# DMAR: (subtable type, iasl name) -> thinhv name; None = any subtable.
DMAR_SUB = {
    (None, 'Subtable Type'): 'dmar.rec.type',
    (None, 'Length'): 'dmar.rec.length',
    (0, 'Flags'): 'drhd.flags',
    (0, 'PCI Segment Number'): 'drhd.segment',
    (0, 'Register Base Address'): 'drhd.base',
    (1, 'PCI Segment Number'): 'rmrr.segment',
    (1, 'Base Address'): 'rmrr.base',
    (1, 'End Address (limit)'): 'rmrr.limit',
    (2, 'Flags'): 'atsr.flags',
    (2, 'PCI Segment Number'): 'atsr.segment',
    (3, 'Base Address'): 'rhsa.base',
    (3, 'Proximity Domain'): 'rhsa.proximity',
    (4, 'Device Number'): 'andd.devnum',
    (4, 'Device Name'): 'andd.name',
}
DMAR_SCOPE = {
    'Device Scope Type': 'scope.type',
    'Entry Length': 'scope.length',
    'Enumeration ID': 'scope.enum_id',
    'PCI Bus Number': 'scope.bus',
    'PCI Path': 'scope.path',
}
IVRS_SUB = {
    'Subtable Type': 'ivrs.rec.type',
    'Flags': 'ivrs.rec.flags',
    'Length': 'ivrs.rec.length',
    'DeviceId': 'ivrs.rec.devid',
    'Capability Offset': 'ivhd.cap_offset',
    'Base Address': 'ivhd.base',
    'PCI Segment Group': 'ivhd.segment',
    'Virtualization Info': 'ivhd.info',
    'Feature Reporting': 'ivhd.feature',
    'Attributes': 'ivhd.feature',
    'EFR Image': 'ivhd.efr',
    'Auxiliary Data': 'ivmd.aux',
    'Start Address': 'ivmd.start',
    'Memory Length': 'ivmd.length',
}
IVRS_ENTRY = {
    'Entry Type': 'entry.type',
    'Device ID': 'entry.devid',
    'Data Setting': 'entry.dte',
    'Source Used Device ID': 'entry.source_devid',
    'Handle': 'entry.handle',
    'Variety': 'entry.variety',
    'Extended Data': 'entry.ext_dte',
}


def norm_value(raw):
    """iasl value text -> canonical string (as thinhv --fields prints)."""
    raw = re.sub(r'/\*.*?\*/', '', raw).strip()  # "8B /* Incorrect ... */"
    if raw.startswith('"'):
        end = raw.rfind('"')
        return raw[:end + 1]
    tok = raw.split(' [')[0].strip()
    m = re.fullmatch(r'([0-9A-Fa-f]{2}),([0-9A-Fa-f]{2})', tok)
    if m:
        return '%s,%s' % (m.group(1).lower(), m.group(2).lower())
    if re.fullmatch(r'[0-9A-Fa-f]+', tok):
        return '0x%x' % int(tok, 16)
    return tok


class IaslTable:
    def __init__(self):
        self.fields = {}  # (off, name) -> value
        self.unmapped = []  # (off, iasl name)
        self.reserved = 0
        self.dmar_stop = None  # offset from which iasl decoded nothing
        self.skipped_ranges = []  # [start, end) iasl did not decode
        self.last_off = 0
        self.hid_off = None  # first ACPI HID entry of the current IVHD

    def comparable(self, off):
        if self.dmar_stop is not None and off >= self.dmar_stop:
            return False
        return not any(s <= off < e for s, e in self.skipped_ranges)


def parse_dsl(text):
    t = IaslTable()
    sig = None
    sub_off = sub_type = sub_len = None
    in_scope = in_entry = False
    entry_off = 0
    owner = {}  # field key -> offset of the entry/field it belongs to
    for line in text.splitlines():
        if line.startswith('**** Unknown DMAR subtable'):
            # iasl 20200925 returns here: nothing after this header. It
            # prints a clamped type number in the Subtable Type line; the
            # real type is in this message.
            t.dmar_stop = sub_off + 4 if sub_off is not None else 48
            m = re.search(r'type 0x([0-9A-Fa-f]+)', line)
            if m and sub_off is not None:
                t.fields[(sub_off, 'dmar.rec.type')] = '0x%x' % int(
                    m.group(1), 16)
            break
        if line.startswith('**** Unknown IVRS device entry'):
            # iasl 20200925 predates the variable-length ACPI HID entry
            # (F0h) and sizes it as 4 bytes: from the entry where it lost
            # step to the end of that IVHD, its output is not a reference.
            m = re.search(r'at offset 0x([0-9A-Fa-f]+)', line)
            start = int(m.group(1), 16) if m else t.last_off
            if t.hid_off is not None:
                start = min(start, t.hid_off)
            if sub_off is not None and sub_len:
                t.skipped_ranges.append((start, sub_off + sub_len))
            continue
        if line.startswith('**** Unknown IVRS subtable'):
            if sub_off is not None and sub_len:
                t.skipped_ranges.append((sub_off + 6, sub_off + sub_len))
            continue
        if line.startswith('****'):
            # Any other iasl complaint: stop comparing after this point.
            t.dmar_stop = t.last_off + 1
            break
        m = LINE.match(line)
        if not m:
            continue
        off = int(m.group(2))
        flen = int(m.group(3))
        name = m.group(4).strip()
        value = norm_value(m.group(5))
        t.last_off = off
        canon = None
        if off < 36:
            canon = HEADER.get(name)
            if name == 'Signature':
                sig = value.strip('"')
        elif sig == 'DMAR':
            if name == 'Subtable Type':
                sub_off, sub_type, in_scope = off, int(value, 16), False
            elif name == 'Device Scope Type':
                in_scope = True
            if off == 36 and name == 'Host Address Width':
                canon = 'dmar.haw'
            elif off == 37 and name == 'Flags':
                canon = 'dmar.flags'
            elif in_scope and name in DMAR_SCOPE:
                canon = DMAR_SCOPE[name]
            elif sub_type == 0 and name == 'Reserved' and flen == 1 \
                    and off == sub_off + 5:
                canon = 'drhd.size'  # iasl 20200925 predates the Size field
            else:
                canon = DMAR_SUB.get((None, name)) or \
                    DMAR_SUB.get((sub_type, name))
        elif sig == 'IVRS':
            if name == 'Subtable Type':
                sub_off, sub_type, in_entry = off, int(value, 16), False
                sub_len = None
                t.hid_off = None
            elif name == 'Entry Type':
                in_entry = True
                entry_off = off
                if value == '0xf0' and t.hid_off is None:
                    t.hid_off = off  # where iasl loses step (see above)
            if off == 36 and name == 'Virtualization Info':
                canon = 'ivrs.ivinfo'
            elif in_entry and name in IVRS_ENTRY:
                canon = IVRS_ENTRY[name]
            elif sub_type == 0x11 and name == 'Reserved' and flen == 8 \
                    and off == sub_off + 32:
                canon = 'ivhd.efr2'  # EFR2 image, reserved in older specs
            elif not in_entry:
                canon = IVRS_SUB.get(name)
                if name == 'Length':
                    sub_len = int(value, 16)
        if canon is None:
            if name == 'Reserved':
                t.reserved += 1
            else:
                t.unmapped.append((off, name))
            continue
        t.fields[(off, canon)] = value
        owner[(off, canon)] = entry_off if in_entry else off
    # Drop what iasl printed inside the regions it could not decode (an
    # entry it mis-sized may straddle into the next subtable: judge a field
    # by the entry it belongs to).
    t.fields = {k: v for k, v in t.fields.items()
                if t.comparable(owner.get(k, k[0]))}
    return t


def parse_fields(text):
    out = {}
    for line in text.splitlines():
        parts = line.split(' ', 2)
        if len(parts) != 3:
            continue
        out[(int(parts[0]), parts[1])] = parts[2]
    return out


def iasl_dsl(path, cache):
    """Disassemble path (cached by content hash); returns text or None."""
    data = open(path, 'rb').read()
    key = hashlib.sha256(data).hexdigest()[:24]
    dsl = os.path.join(cache, key + '.dsl')
    if os.path.exists(dsl):
        return open(dsl, errors='replace').read(), None
    # Several test runs may share the cache: disassemble in a private
    # directory and publish the .dsl atomically.
    work = tempfile.mkdtemp(dir=cache)
    try:
        with open(os.path.join(work, key + '.dat'), 'wb') as f:
            f.write(data)
        r = subprocess.run(['iasl', '-d', key + '.dat'], cwd=work,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = os.path.join(work, key + '.dsl')
        if not os.path.exists(out):
            msg = [ln for ln in r.stdout.decode(errors='replace').splitlines()
                   if ln.strip() and not re.match(
                       r'(Intel ACPI|ASL\+|Copyright|File appears)', ln)]
            return None, ('; '.join(msg) if msg else
                          'iasl produced no output')
        text = open(out, errors='replace').read()
        os.replace(out, dsl)
        return text, None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def tables(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in sorted(os.walk(p)):
                for f in sorted(files):
                    if f.endswith('.dat'):
                        yield os.path.join(root, f)
        else:
            yield p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--cache', required=True)
    ap.add_argument('-v', '--verbose', action='store_true')
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    if not shutil.which('iasl'):
        print('iasl_fields: iasl not found (apt-get install acpica-tools)')
        return 2
    os.makedirs(a.cache, exist_ok=True)

    n_tab = n_fields = n_bad_tab = n_mism = 0
    n_beyond = 0
    n_cut = n_cut_fields = 0
    n_reserved = 0
    skipped = {}
    cli_status = {}
    for path in tables(a.paths):
        text, why = iasl_dsl(path, a.cache)
        if text is None:
            skipped.setdefault('iasl could not disassemble: ' + why,
                               []).append(path)
            continue
        try:
            r = subprocess.run([a.cli, 'acpi', '--fields', path],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            print('iasl_fields: cannot run %s: %s' % (a.cli, e))
            return 2
        cli_status[r.returncode] = cli_status.get(r.returncode, 0) + 1
        problems = []
        if r.returncode not in (0, 1, 4, 5):
            problems.append('thinhv exited with status %d: %s' % (
                r.returncode, r.stderr.decode(errors='replace')[-300:]))
        mine = parse_fields(r.stdout.decode(errors='replace'))
        ref = parse_dsl(text)
        # Where thinhv refused malformed data (an ERROR diag past the SDT
        # header), iasl usually decodes on regardless, reading garbage or
        # past the record: compare only the bytes before the first error.
        errs = [int(m.group(1)) for m in re.finditer(
            r'error: .*?: offset 0x[0-9a-f]+ \((\d+)\)',
            r.stderr.decode(errors='replace'))]
        errs = [e for e in errs if e >= 36]
        if errs:
            cut = min(errs)
            n_cut += 1
            before = len(ref.fields) + len(mine)
            ref.fields = {k: v for k, v in ref.fields.items() if k[0] < cut}
            mine = {k: v for k, v in mine.items() if k[0] < cut}
            n_cut_fields += before - len(ref.fields) - len(mine)
            if a.verbose:
                print('note %s: compared up to thinhv error offset %d'
                      % (path, cut))
        n_reserved += ref.reserved
        for off, name in ref.unmapped:
            problems.append('iasl field %r at %d has no thinhv mapping'
                            % (name, off))
        for key, val in sorted(ref.fields.items()):
            got = mine.get(key)
            if got is not None and key[1] in HEADER_STRINGS:
                # iasl repairs non-printable header ID bytes to spaces.
                got = re.sub(r'\\x[0-9a-f]{2}', ' ', got)
            if got is None:
                problems.append('%d %s: iasl %s, thinhv missing'
                                % (key[0], key[1], val))
            elif got != val:
                problems.append('%d %s: iasl %s, thinhv %s'
                                % (key[0], key[1], val, got))
            else:
                n_fields += 1
        for key, val in sorted(mine.items()):
            if key in ref.fields:
                continue
            if not ref.comparable(key[0]):
                n_beyond += 1
            else:
                problems.append('%d %s: thinhv %s, iasl missing'
                                % (key[0], key[1], val))
        n_tab += 1
        if problems:
            n_bad_tab += 1
            n_mism += len(problems)
            print('MISMATCH %s (%d)' % (path, len(problems)))
            for p in problems[:(1000 if a.verbose else 8)]:
                print('    ' + p)
    n_skip = sum(len(v) for v in skipped.values())
    print('iasl_fields: %d tables compared, %d fields agree, %d mismatches '
          'in %d tables; %d skipped%s' % (
              n_tab, n_fields, n_mism, n_bad_tab, n_skip,
              ''.join(' (%d because %s)' % (len(v), k)
                      for k, v in skipped.items())))
    print('iasl_fields: %d thinhv fields not comparable (iasl 20200925 stops '
          'at unknown DMAR subtables, skips IVHD 40h bodies and loses step '
          'at ACPI HID entries); %d iasl '
          'Reserved fields ignored; thinhv exit codes %s' % (
              n_beyond, n_reserved,
              ', '.join('%d:%d' % kv for kv in sorted(cli_status.items()))))
    print('iasl_fields: %d malformed tables compared only up to the offset '
          'of thinhv\'s first error (%d fields after it not compared)'
          % (n_cut, n_cut_fields))
    for k, v in skipped.items():
        for p in v:
            print('    skipped %s: %s' % (p, k))
    if n_tab == 0:
        print('iasl_fields: no table compared')
        return 1
    return 1 if n_mism else 0


if __name__ == '__main__':
    sys.exit(main())
