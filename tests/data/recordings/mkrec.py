#!/usr/bin/env python3
# mkrec.py - builds the hand-made `thinhv scan --replay` recordings of real
# server shapes, the malformed ones, and the pci.ids subset the golden tests
# use (host, python3 stdlib only). Run from anywhere:
#   tests/data/recordings/mkrec.py
# Output is committed; re-run only when changing a recording on purpose and
# regenerate the goldens with tests/data/golden/regen.sh afterwards.
# Format: docs/audit.md "Recording format".
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------- config space


def ext_cap(cap_id, body):
    """Extended capability: header dword (id, version 1, next filled later)."""
    return [cap_id, body]


def ats(enabled):
    # ATS capability register (16 bits) + control (bit 15 enable)
    return ext_cap(0x000f, struct.pack('<HH', 0x0020, 0x8000 if enabled else 0))


def pri(enabled):
    return ext_cap(0x0013, struct.pack('<HHII', 1 if enabled else 0, 0x0100, 32, 32))


def pasid(enabled):
    return ext_cap(0x001b, struct.pack('<HH', 0x1406, 1 if enabled else 0))


def acs(caps, ctrl):
    return ext_cap(0x000d, struct.pack('<HH', caps, ctrl))


def aer():
    return ext_cap(0x0001, bytes(0x44))


def config(vendor, device, cls, *, bridge=False, mf=False, bm=True,
           sec=0, sub=0, port_type=None, hotplug=False, ext=(), size=4096):
    c = bytearray(size)
    struct.pack_into('<HH', c, 0, vendor, device)
    cmd = 0x0006 if bm else 0x0002  # memory space (+ bus master)
    struct.pack_into('<HH', c, 4, cmd, 0x0010)  # status: capability list
    struct.pack_into('<I', c, 8, (cls << 8) | 0x01)  # class + revision 1
    c[0x0e] = (0x01 if bridge else 0x00) | (0x80 if mf else 0)
    if bridge:
        c[0x18], c[0x19], c[0x1a] = 0, sec, sub
    # Capability list: power management at 0x40, PCIe at 0x50 (if any).
    c[0x34] = 0x40
    c[0x40], c[0x41] = 0x01, 0x50 if port_type is not None else 0x00
    struct.pack_into('<H', c, 0x42, 0x0003)
    if port_type is not None:
        c[0x50], c[0x51] = 0x10, 0x00
        flags = 0x0002 | (port_type << 4) | (0x0100 if hotplug else 0)
        struct.pack_into('<H', c, 0x52, flags)
        if hotplug:
            struct.pack_into('<I', c, 0x50 + 0x14, 0x00000060)
    if size == 4096 and port_type is not None:
        off = 0x100
        caps = list(ext)
        for i, (cid, body) in enumerate(caps):
            nxt = off + 4 + len(body)
            nxt = (nxt + 3) & ~3
            last = i == len(caps) - 1
            struct.pack_into('<I', c, off, cid | (1 << 16) | ((0 if last else nxt) << 20))
            c[off + 4:off + 4 + len(body)] = body
            off = nxt
    return bytes(c)

# ---------------------------------------------------------- ACPI tables


def acpi_table(sig, rev, body):
    length = 36 + len(body)
    hdr = bytearray(struct.pack('<4sIBB6s8sI4sI', sig, length, rev, 0,
                                b'THINHV', b'AUDITREC', 1, b'TEST', 1))
    t = bytearray(hdr + body)
    t[9] = (256 - sum(t) % 256) % 256
    return bytes(t)


def dmar_scope(kind, bus, dev, fn, enum_id=0):
    return struct.pack('<BBHBBBB', kind, 8, 0, enum_id, bus, dev, fn)


def dmar(haw, flags, records):
    body = struct.pack('<BB10s', haw - 1, flags, bytes(10)) + b''.join(records)
    return acpi_table(b'DMAR', 1, body)


def drhd(base, include_all, scopes):
    sc = b''.join(scopes)
    return struct.pack('<HHBBHQ', 0, 16 + len(sc), 1 if include_all else 0, 0, 0, base) + sc


def rmrr(base, limit, scopes):
    sc = b''.join(scopes)
    return struct.pack('<HHHHQQ', 1, 24 + len(sc), 0, 0, base, limit) + sc


def atsr(scopes):
    sc = b''.join(scopes)
    return struct.pack('<HHBBH', 2, 8 + len(sc), 0, 0, 0) + sc


def ivrs(ivinfo, blocks):
    return acpi_table(b'IVRS', 2, struct.pack('<I8s', ivinfo, bytes(8)) + b''.join(blocks))


def ivhd(btype, devid, base, entries):
    ents = b''.join(entries)
    hdr_len = 24 if btype == 0x10 else 40
    hdr = struct.pack('<BBHHHQHHI', btype, 0xb0, hdr_len + len(ents), devid, 0x40,
                      base, 0, 0, 0x00000000)
    if btype != 0x10:
        hdr += struct.pack('<QQ', 0x000000000000f77e, 0)
    return hdr + ents


def ivmd(btype, devid, start, length, aux=0):
    return struct.pack('<BBHHH8sQQ', btype, 0x01, 32, devid, aux, bytes(8), start, length)


# ---------------------------------------------------------- recording tree

class Rec:
    def __init__(self, name, label, privileged=True):
        self.top = os.path.join(HERE, name)
        shutil.rmtree(self.top, ignore_errors=True)
        self.root = os.path.join(self.top, 'root')
        os.makedirs(self.root)
        self.manifest = ('thinhv-recording 1\nlabel: %s\nprivileged: %s\n'
                         'note: hand-made by tests/data/recordings/mkrec.py\n'
                         % (label, 'yes' if privileged else 'no'))
        for d in ('sys/bus/pci/devices', 'sys/firmware/acpi/tables',
                  'sys/class/iommu', 'sys/kernel/iommu_groups', 'proc'):
            os.makedirs(os.path.join(self.root, d), exist_ok=True)

    def file(self, path, data):
        p = os.path.join(self.root, path.lstrip('/'))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'wb') as f:
            f.write(data if isinstance(data, bytes) else data.encode())

    def link(self, path, target):
        p = os.path.join(self.root, path.lstrip('/'))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        os.symlink(target, p)

    def dev(self, bdf, cfg, driver=None, group=None, removable=None):
        d = '/sys/bus/pci/devices/' + bdf
        self.file(d + '/config', cfg)
        if driver:
            self.link(d + '/driver', '../../../bus/pci/drivers/' + driver)
        if group is not None:
            self.link(d + '/iommu_group', '../../../kernel/iommu_groups/%d' % group)
            self.link('/sys/kernel/iommu_groups/%d/devices/%s' % (group, bdf),
                      '../../../../devices/pci0000:00/' + bdf)
        if removable:
            self.file(d + '/removable', removable + '\n')

    def group_type(self, group, t):
        self.file('/sys/kernel/iommu_groups/%d/type' % group, t + '\n')

    def tpm2(self):
        self.file('/sys/class/tpm/tpm0/tpm_version_major', '2\n')
        self.file('/dev/tpm0', '')
        self.file('/dev/tpmrm0', '')

    def done(self, manifest=None):
        with open(os.path.join(self.top, 'THINHV-RECORDING'), 'w') as f:
            f.write(manifest if manifest is not None else self.manifest)


ROOT_PORT, UPSTREAM, DOWNSTREAM, ENDPOINT = 4, 5, 6, 0
ACS_FULL_CAPS, ACS_FULL_CTRL = 0x005f, 0x001d


def intel_server():
    r = Rec('intel-server', 'intel-server-dmar-rmrr')
    r.dev('0000:00:00.0', config(0x8086, 0x2020, 0x060000, bm=False, port_type=9,
                                 ext=[aer()]))
    r.dev('0000:00:14.0', config(0x8086, 0xa36d, 0x0c0330), 'xhci_hcd', 3)
    r.dev('0000:00:17.0', config(0x8086, 0xa352, 0x010601), 'ahci', 4)
    r.dev('0000:00:1c.0', config(0x8086, 0xa338, 0x060400, bridge=True, sec=1, sub=1,
                                 port_type=ROOT_PORT, ext=[aer(), acs(ACS_FULL_CAPS, ACS_FULL_CTRL)]),
          'pcieport', 5)
    r.dev('0000:00:1d.0', config(0x8086, 0xa33c, 0x060400, bridge=True, sec=2, sub=2,
                                 port_type=ROOT_PORT, ext=[aer()]), 'pcieport', 7)
    r.dev('0000:01:00.0', config(0x8086, 0x1521, 0x020000, mf=True, port_type=ENDPOINT,
                                 ext=[aer()]), 'igb', 6)
    r.dev('0000:01:00.1', config(0x8086, 0x1521, 0x020000, mf=True, port_type=ENDPOINT,
                                 ext=[aer()]), 'igb', 6)
    r.dev('0000:02:00.0', config(0x144d, 0xa80a, 0x010802, port_type=ENDPOINT,
                                 ext=[aer(), ats(False)]), 'nvme', 7)
    for g, t in ((3, 'identity'), (4, 'identity'), (5, 'identity'), (6, 'identity'),
                 (7, 'DMA-FQ')):
        r.group_type(g, t)
    r.file('/sys/class/iommu/dmar0/.keep', '')
    r.file('/sys/class/iommu/dmar1/.keep', '')
    r.file('/sys/firmware/acpi/tables/DMAR', dmar(46, 0x01, [
        drhd(0xc5ffc000, False, [dmar_scope(2, 0, 0x1d, 0)]),
        drhd(0xfbffc000, True, [dmar_scope(3, 0xf0, 0x1f, 0, 8), dmar_scope(4, 0, 0x1f, 0, 0)]),
        rmrr(0x6f5a3000, 0x6f5b2fff, [dmar_scope(1, 0, 0x14, 0)]),
        atsr([dmar_scope(2, 0, 0x1c, 0)]),
    ]))
    r.file('/proc/cmdline', 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 root=/dev/sda2 ro '
           'intel_iommu=on iommu=pt\n')
    r.file('/proc/iomem', '\n'.join([
        '00000000-00000fff : Reserved',
        '00001000-0009ffff : System RAM',
        '000a0000-000fffff : Reserved',
        '00100000-6f5a2fff : System RAM',
        '  01000000-01e03fff : Kernel code',
        '6f5a3000-6f5b2fff : Reserved',
        '6f5b3000-7fffffff : System RAM',
        '80000000-8fffffff : PCI MMCONFIG 0000 [bus 00-ff]',
        '90000000-fbffffff : PCI Bus 0000:00',
        'fec00000-fec003ff : IOAPIC 0',
        'fed00000-fed003ff : HPET 0',
        '100000000-107fffffff : System RAM',
    ]) + '\n')
    r.tpm2()
    r.done()


def amd_server():
    r = Rec('amd-server', 'amd-server-ivrs-ats')
    r.dev('0000:00:00.0', config(0x1022, 0x1480, 0x060000, bm=False))
    r.dev('0000:00:00.2', config(0x1022, 0x1481, 0x080600, port_type=9, ext=[]))
    r.dev('0000:00:01.1', config(0x1022, 0x1483, 0x060400, bridge=True, sec=1, sub=1,
                                 port_type=ROOT_PORT, ext=[aer(), acs(ACS_FULL_CAPS, 0)]),
          'pcieport', 1)
    r.dev('0000:01:00.0', config(0x144d, 0xa80a, 0x010802, port_type=ENDPOINT,
                                 ext=[aer()]), 'nvme', 1)
    r.dev('0000:40:01.1', config(0x1022, 0x1483, 0x060400, bridge=True, sec=0x41, sub=0x41,
                                 port_type=ROOT_PORT, hotplug=True,
                                 ext=[aer(), acs(ACS_FULL_CAPS, ACS_FULL_CTRL)]),
          'pcieport', 10)
    r.dev('0000:41:00.0', config(0x15b3, 0x1017, 0x020000, mf=True, port_type=ENDPOINT,
                                 ext=[aer(), ats(True), pri(True), pasid(True)]),
          'mlx5_core', 11, removable='removable')
    r.dev('0000:41:00.1', config(0x15b3, 0x1017, 0x020000, mf=True, port_type=ENDPOINT,
                                 ext=[aer(), ats(False)]),
          'mlx5_core', 12, removable='removable')
    for g in (1, 10, 11, 12):
        r.group_type(g, 'DMA')
    r.file('/sys/class/iommu/ivhd0/.keep', '')
    ents = [struct.pack('<BHB', 3, 0x0000, 0), struct.pack('<BHB', 4, 0xffff, 0)]
    r.file('/sys/firmware/acpi/tables/IVRS', ivrs(0x00203043, [
        ivhd(0x11, 0x0002, 0xf3700000, ents),
        ivhd(0x40, 0x0002, 0xf3700000, ents),
        ivmd(0x21, 0x4100, 0xb8000000, 0x100000),
    ]))
    r.file('/proc/cmdline', 'BOOT_IMAGE=/vmlinuz root=/dev/nvme0n1p2 ro amd_iommu=on '
           'iommu.strict=1\n')
    r.file('/proc/iomem', '\n'.join([
        '00000000-00000fff : Reserved',
        '00001000-0009ffff : System RAM',
        '000a0000-000fffff : Reserved',
        '00100000-b7ffffff : System RAM',
        'b8000000-b80fffff : Reserved',
        'b8100000-bfffffff : System RAM',
        'e0000000-efffffff : PCI MMCONFIG 0000 [bus 00-ff]',
        'f3700000-f377ffff : amd_iommu',
        'fec00000-fec003ff : IOAPIC 0',
        '100000000-203fffffff : System RAM',
    ]) + '\n')
    r.tpm2()
    r.done()


def laptop_tb():
    r = Rec('laptop-tb', 'laptop-thunderbolt-no-acs')
    r.dev('0000:00:00.0', config(0x8086, 0x9a14, 0x060000, bm=False))
    r.dev('0000:00:02.0', config(0x8086, 0x9a49, 0x030000), 'i915', 0)
    r.dev('0000:00:07.0', config(0x8086, 0x9a23, 0x060400, bridge=True, sec=0x20, sub=0x49,
                                 port_type=ROOT_PORT, hotplug=True, ext=[aer()]),
          'pcieport', 1)
    r.dev('0000:00:0d.2', config(0x8086, 0x9a1b, 0x0c0340, port_type=9, ext=[]),
          'thunderbolt', 2)
    r.dev('0000:00:14.0', config(0x8086, 0xa0ed, 0x0c0330), 'xhci_hcd', 4)
    r.dev('0000:20:00.0', config(0x8086, 0x15ef, 0x060400, bridge=True, sec=0x21, sub=0x22,
                                 port_type=UPSTREAM, ext=[aer()]),
          'pcieport', 1, removable='removable')
    r.dev('0000:21:01.0', config(0x8086, 0x15ef, 0x060400, bridge=True, sec=0x22, sub=0x22,
                                 port_type=DOWNSTREAM, hotplug=True, ext=[aer()]),
          'pcieport', 1, removable='removable')
    r.dev('0000:22:00.0', config(0x8086, 0x15f3, 0x020000, port_type=ENDPOINT,
                                 ext=[aer(), ats(True)]),
          'igc', 1, removable='removable')
    for g in (0, 1, 2, 4):
        r.group_type(g, 'DMA-FQ')
    r.file('/sys/class/iommu/dmar0/.keep', '')
    r.file('/sys/class/iommu/dmar1/.keep', '')
    r.file('/sys/firmware/acpi/tables/DMAR', dmar(39, 0x05, [
        drhd(0xfed90000, False, [dmar_scope(1, 0, 0x02, 0)]),
        drhd(0xfed91000, True, [dmar_scope(3, 0, 0x1e, 7, 2), dmar_scope(4, 0, 0x1e, 6, 0)]),
        rmrr(0x7a800000, 0x7effffff, [dmar_scope(1, 0, 0x02, 0)]),
        rmrr(0x6c28c000, 0x6c4d5fff, [dmar_scope(1, 0, 0x14, 0)]),
    ]))
    r.file('/proc/cmdline', 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 root=UUID=0f1e ro quiet\n')
    r.file('/proc/iomem', '\n'.join([
        '00000000-00000fff : Reserved',
        '00001000-0009efff : System RAM',
        '0009f000-000fffff : Reserved',
        '00100000-6c28bfff : System RAM',
        '6c28c000-6c4d5fff : Reserved',
        '6c4d6000-7a7fffff : System RAM',
        '7a800000-7effffff : Reserved',
        '80000000-bfffffff : PCI Bus 0000:00',
        'c0000000-cfffffff : PCI MMCONFIG 0000 [bus 00-ff]',
        'fed90000-fed90fff : dmar0',
        'fed91000-fed91fff : dmar1',
        '100000000-47fffffff : System RAM',
    ]) + '\n')
    r.done()


def unprivileged():
    """What a non-root scan sees: 64-byte config, no DMAR, zeroed iomem."""
    r = Rec('intel-unpriv', 'intel-server-as-user', privileged=False)
    full = config(0x8086, 0x1521, 0x020000, port_type=ENDPOINT, ext=[aer()])
    r.dev('0000:01:00.0', full[:64], 'igb', 6)
    r.group_type(6, 'DMA')
    r.file('/sys/class/iommu/dmar0/.keep', '')
    # What the recorder writes for a file it was not allowed to read.
    r.file('/sys/firmware/acpi/tables/DMAR', 'thinhv-recording: unreadable (EACCES)\n')
    r.file('/proc/cmdline', 'root=/dev/sda2 ro intel_iommu=on\n')
    r.file('/proc/iomem', '00000000-00000000 : System RAM\n00000000-00000000 : Reserved\n')
    r.done()


def thinhv_status(launched=1, ranges=()):
    lines = ['thinhv-status 1', 'build: 0.1-lab', 'backend: svm', 'hv_abi: 1',
             'launched: %d' % launched, 'locked: 0', 'ncpus: 2', 'paging_levels: 4',
             'footprint: 9437184', 'denials: 3', 'exits: 120455']
    lines += ['range: %s 0x%x 0x%x 0' % r for r in ranges]
    return '\n'.join(lines) + '\n'


def qemu_q35(r, iommu_fn):
    """The lab's QEMU q35 machine: two edu devices, the IOMMU function."""
    r.dev('0000:00:00.0', config(0x8086, 0x29c0, 0x060000, bm=False, size=256))
    r.dev('0000:00:01.0', config(0x1234, 0x1111, 0x030000, bm=False, size=256), 'bochs-drm')
    if iommu_fn:
        r.dev('0000:00:02.0', config(0x1022, 0x0000, 0x080600, port_type=9, ext=[]))
    r.dev('0000:00:03.0', config(0x1234, 0x11e8, 0x00ff00, port_type=ENDPOINT, ext=[aer()]))
    r.dev('0000:00:04.0', config(0x1234, 0x11e8, 0x00ff00, port_type=ENDPOINT, ext=[aer()]))
    r.dev('0000:00:1f.0', config(0x8086, 0x2918, 0x060100, bm=False, mf=True, size=256), 'lpc_ich')
    r.dev('0000:00:1f.2', config(0x8086, 0x2922, 0x010601, mf=True, size=256), 'ahci')
    r.file('/proc/iomem', '\n'.join([
        '00000000-00000fff : Reserved',
        '00001000-0009fbff : System RAM',
        '0009fc00-000fffff : Reserved',
        '00100000-7ffdffff : System RAM',
        '7ffe0000-7fffffff : Reserved',
        'b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]',
        'c0000000-febfffff : PCI Bus 0000:00',
        'fed80000-fed83fff : amd_iommu',
    ]) + '\n')
    r.tpm2()


def lab_amd_thinhv():
    """thinhv launched on the lab's amd profile (amd_iommu=off: thinhv owns
    the IOMMU)."""
    r = Rec('lab-amd-thinhv', 'lab-amd-thinhv-launched')
    qemu_q35(r, True)
    ents = [struct.pack('<BHB', 3, 0x0000, 0), struct.pack('<BHB', 4, 0xffff, 0)]
    r.file('/sys/firmware/acpi/tables/IVRS', ivrs(0x00203040, [
        ivhd(0x10, 0x0010, 0xfed80000, ents)]))
    r.file('/proc/cmdline', 'console=ttyS0 amd_iommu=off quiet\n')
    r.file('/dev/thinhv', '')
    r.file('/dev/thinhv.status', thinhv_status(1, [
        ('hv-code', 0x3a000000, 0x200000), ('hv-mem', 0x3a200000, 0x700000),
        ('iommu', 0x3a900000, 0x100000), ('mmio', 0xfed80000, 0x4000)]))
    r.done()


def lab_intel_os_owns():
    """thinhv loaded while Linux already owns VT-d (intel_iommu=on): thinhv
    cannot take the IOMMU, so the OS can map hypervisor memory for DMA."""
    r = Rec('lab-intel-os-owns', 'lab-intel-os-owns-iommu')
    qemu_q35(r, False)
    for bdf, g in (('0000:00:03.0', 3), ('0000:00:04.0', 4)):
        r.link('/sys/bus/pci/devices/%s/iommu_group' % bdf,
               '../../../kernel/iommu_groups/%d' % g)
        r.group_type(g, 'DMA')
        r.file('/sys/kernel/iommu_groups/%d/devices/.keep' % g, '')
    r.file('/sys/class/iommu/dmar0/.keep', '')
    r.file('/sys/firmware/acpi/tables/DMAR', dmar(39, 0x01, [
        drhd(0xfed90000, True, [dmar_scope(3, 0, 0x1f, 0, 0)])]))
    r.file('/proc/cmdline', 'console=ttyS0 intel_iommu=on iommu.strict=1\n')
    r.file('/dev/thinhv', '')
    r.file('/dev/thinhv.status', thinhv_status(1, [
        ('hv-code', 0x3a000000, 0x200000), ('hv-mem', 0x3a200000, 0x700000)]))
    r.done()


def malformed():
    good = config(0x8086, 0x1521, 0x020000, port_type=ENDPOINT, ext=[aer()])

    r = Rec('bad-manifest', 'bad')
    r.done('thinhv-recording 9\nlabel: bad\nprivileged: yes\n')

    r = Rec('bad-config-size', 'bad')
    r.dev('0000:01:00.0', good[:17])
    r.done()

    loop = bytearray(good[:256])
    loop[0x41] = 0x40  # power-management capability points at itself
    r = Rec('bad-caplist', 'bad')
    r.dev('0000:01:00.0', bytes(loop))
    r.done()

    t = bytearray(dmar(46, 0, [drhd(0xfed90000, True, [])]))
    struct.pack_into('<H', t, 48 + 2, 0x200)  # DRHD length past the table
    r = Rec('malformed-dmar', 'firmware-dmar-overrun')
    r.dev('0000:01:00.0', good)
    r.file('/sys/firmware/acpi/tables/DMAR', bytes(t))
    r.done()

    r = Rec('bad-group-type', 'bad')
    r.dev('0000:01:00.0', good, 'igb', 6)
    r.group_type(6, 'bogus')
    r.done()

    r = Rec('bad-iomem', 'bad')
    r.dev('0000:01:00.0', good)
    r.file('/proc/iomem', '00000000-00000fff : Reserved\nthis is not a range\n')
    r.done()

    # A recording must never lead replay outside itself.
    r = Rec('bad-symlink', 'bad')
    shutil.rmtree(os.path.join(r.root, 'sys/bus/pci/devices'))
    os.symlink('/sys/bus/pci/devices', os.path.join(r.root, 'sys/bus/pci/devices'))
    r.done()

    r = Rec('bad-thinhv-status', 'bad')
    r.dev('0000:01:00.0', good)
    r.file('/dev/thinhv', '')
    r.file('/dev/thinhv.status', 'thinhv-status 1\nlaunched: yes\n')
    r.done()

    r = Rec('bad-thinhv-isolation', 'bad')
    r.dev('0000:01:00.0', good)
    r.file('/dev/thinhv', '')
    r.file('/dev/thinhv.status', 'thinhv-status 1\nlaunched: 1\n'
           'isolation_state_sha256: 59238382E9477E9DA9CF4239892952888310b68e554c918966965a71c13b0ab1\n')
    r.done()

    r = Rec('bad-no-manifest', 'bad')
    # no done(): the manifest is missing


def pci_ids_subset():
    want = {
        0x8086: {0x29c0, 0x2918, 0x2922, 0x2930, 0x2020, 0xa36d, 0xa352, 0xa338, 0xa33c, 0x1521, 0x9a14, 0x9a49,
                 0x9a23, 0x9a1b, 0xa0ed, 0x15ef, 0x15f3},
        0x1022: {0x0000, 0x1480, 0x1481, 0x1483},
        0x144d: {0xa80a},
        0x15b3: {0x1017},
        0x1af4: {0x1041, 0x1042, 0x1044, 0x1045, 0x1053},
        0x1234: {0x1111, 0x11e8},
    }
    src = '/usr/share/misc/pci.ids'
    out = ['# Subset of pciutils pci.ids (https://pci-ids.ucw.cz, BSD-3-Clause or',
           '# GPL-2.0+) for deterministic golden tests; built by mkrec.py.']
    vendor = None
    in_class = False
    with open(src, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('C '):
                in_class = True
            if in_class:
                if line and not line.startswith('#') and not line.startswith('\t\t'):
                    out.append(line)
                continue
            if not line or line.startswith('#'):
                continue
            if not line.startswith('\t'):
                vendor = int(line[:4], 16) if line[:4].strip() else None
                if vendor in want:
                    out.append(line)
                continue
            if line.startswith('\t\t') or vendor not in want:
                continue
            if int(line[1:5], 16) in want[vendor]:
                out.append(line)
    with open(os.path.join(HERE, 'pci.ids'), 'w') as f:
        f.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    intel_server()
    amd_server()
    laptop_tb()
    unprivileged()
    lab_amd_thinhv()
    lab_intel_os_owns()
    malformed()
    pci_ids_subset()
    print('recordings written under', HERE, file=sys.stderr)
