#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora, tests/fuzz/corpus/<target>/, from
ipsecsim's own captures, certificates and scenarios.

    build/ipsecsim run scenarios/flow-matrix.yaml --pcap --certs --out /tmp/fm
    build/ipsecsim run scenarios/nat-natt.yaml --pcap --out /tmp/natt
    scripts/make-fuzz-corpus.py /tmp/fm/flow-matrix /tmp/natt/nat-natt ...

Each seed is one small file named by its content's hash; at most MAX_SEEDS
per kind, the most varied (by leading bytes and size) first.
"""
import base64
import glob
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
MAX_SEEDS = 40


def frames(pcap):
    with open(pcap, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    at = 24
    while at + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[at:at + 16])
        yield data[at + 16:at + 16 + incl]
        at += 16 + incl


def ip_of(frame):
    """(ip packet, version) of an Ethernet II frame, or None."""
    if len(frame) < 14:
        return None
    ethertype = struct.unpack(">H", frame[12:14])[0]
    if ethertype == 0x0800:
        return frame[14:], 4
    if ethertype == 0x86DD:
        return frame[14:], 6
    return None


def l4_of(ip, version):
    """(protocol, l4 bytes) of an unfragmented packet."""
    if version == 4:
        ihl = (ip[0] & 15) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        if struct.unpack(">H", ip[6:8])[0] & 0x3FFF:
            return None
        return ip[9], ip[ihl:total]
    if len(ip) < 40:
        return None
    return ip[6], ip[40:40 + struct.unpack(">H", ip[4:6])[0]]


class Seeds:
    def __init__(self):
        self.kinds = {}

    def add(self, target, data, kind=""):
        key = (target, kind)
        bucket = self.kinds.setdefault(key, {})
        shape = (data[:2], len(data) // 64, data[-2:])
        if shape not in bucket and len(bucket) < MAX_SEEDS:
            bucket[shape] = data

    def write(self):
        for (target, _), bucket in sorted(self.kinds.items()):
            out = os.path.join(CORPUS, target)
            os.makedirs(out, exist_ok=True)
            for data in bucket.values():
                name = hashlib.sha1(data).hexdigest()[:16]
                with open(os.path.join(out, name), "wb") as f:
                    f.write(data)


def from_capture(seeds, pcap):
    for frame in frames(pcap):
        seeds.add("fuzz_packets", b"\x00" + frame, "frame")
        located = ip_of(frame)
        if not located:
            continue
        ip, version = located
        channel = 0 if version == 4 else 1
        seeds.add("fuzz_classifier", bytes([channel]) + struct.pack(">H", len(ip)) + ip, "ip")
        l4 = l4_of(ip, version)
        if not l4:
            continue
        protocol, body = l4
        if protocol == 1:
            seeds.add("fuzz_packets", b"\x03" + ip, "icmp")
        if protocol != 17 or len(body) < 8:
            continue
        dport = struct.unpack(">H", body[2:4])[0]
        payload = body[8:]
        if dport == 6081:
            seeds.add("fuzz_packets", b"\x01" + payload, "geneve")
        elif dport == 4500:
            seeds.add("fuzz_packets", b"\x02" + payload, "natt")
            if payload[:4] == b"\0\0\0\0":
                seeds.add("fuzz_ike_message", payload[4:], "ike")
                seeds.add("fuzz_ike_decrypt", b"\x00" + payload[4:], "ike")
        elif dport == 500:
            seeds.add("fuzz_ike_message", payload, "ike")
            seeds.add("fuzz_ike_decrypt", b"\x00" + payload, "ike")


def from_certificates(seeds, directory):
    for pem in sorted(glob.glob(os.path.join(directory, "certs", "*.pem"))):
        if pem.endswith(".key.pem"):
            continue
        text = open(pem).read()
        seeds.add("fuzz_x509", text.encode(), "pem")
        body = "".join(l for l in text.splitlines() if l and not l.startswith("-----"))
        try:
            seeds.add("fuzz_x509", base64.b64decode(body.split("=")[0] + "=="), "der")
        except ValueError:
            pass


def from_scenarios(seeds):
    for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.yaml")) +
                       glob.glob(os.path.join(ROOT, "tests", "data", "bad", "*.yaml"))):
        data = open(path, "rb").read()
        if len(data) > 4096:
            continue
        seeds.add("fuzz_scenario", data, os.path.basename(path))
        for line in data.decode(errors="replace").splitlines():
            for key, selector in (("merge_patch:", 0x25), ("json_patch:", 0x2D)):
                if key in line:
                    body = line.split(key, 1)[1].strip().strip("'")
                    seeds.add("fuzz_oc_patch", bytes([selector]) + body.encode(), "patch")


def handmade(seeds):
    keymat = "4142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263"[:72]
    seeds.add("fuzz_esp_cli", b"\0".join(s.encode() for s in [
        "encrypt", "--spi", "0x1000", "--keymat", keymat[:40], "--seq", "1", "--iv",
        "0001020304050607", "--next-header", "4", "--payload", "45000014"]), "encrypt")
    seeds.add("fuzz_esp_cli", b"\0".join(s.encode() for s in [
        "encrypt", "--spi", "4096", "--keymat", keymat[:40], "--seq", "0x100000001", "--esn",
        "--iv", "0x0001020304050607", "--next-header", "59", "--payload", ""]), "encrypt-esn")
    seeds.add("fuzz_esp_cli", b"\0".join(s.encode() for s in [
        "decrypt", "--spi", "0x1000", "--keymat", keymat[:40], "--packet",
        "00001000000000010001020304050607" + "00" * 20, "--esn-high", "0"]), "decrypt")
    # merge and JSON patches as the product documentation gives them
    for selector, body in [
            (0x25, '{"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{"mode":"Full"}}}}}'),
            (0x35, '{"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{"mode":"Full",'
                   '"full":{"encapsulation":"Always"}}}}}}'),
            (0x2D, '[{"op":"remove","path":"/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig"}]'),
            (0x2D, '[{"op":"replace","path":"/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig/mode",'
                   '"value":"Disabled"}]'),
            (0x1A, '[{"op":"add","path":"/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig","value":{}}]')]:
        seeds.add("fuzz_oc_patch", bytes([selector]) + body.encode(), "patch")
    # SK plaintexts (odd first byte, then the first inner type): Delete of a
    # Child SA, Delete of the IKE SA, a Notify, each with padding
    delete_child = bytes([0, 0, 0, 12, 3, 4, 0, 1, 0xC0, 0, 0, 1])
    delete_ike = bytes([0, 0, 0, 8, 1, 0, 0, 0])
    notify = bytes([0, 0, 0, 8, 0, 0, 0x40, 0x00])
    for first, chain in [(42, delete_child), (42, delete_ike), (41, notify)]:
        for pad in (0, 3):
            seeds.add("fuzz_ike_decrypt", bytes([1, first]) + chain + b"\0" * pad + bytes([pad]),
                      "sk")


def reexported_bundles(p12):
    """The bundle re-exported by openssl at one iteration, so that the fuzz
    target's low iteration cap does not stop it at the key derivation: PBES2
    with AES (openssl's default), the legacy 3DES/RC2 bags, and no MAC."""
    if not shutil.which("openssl"):
        return
    with tempfile.TemporaryDirectory() as scratch:
        pem = os.path.join(scratch, "bundle.pem")
        subprocess.run(["openssl", "pkcs12", "-in", p12, "-nodes", "-passin", "pass:", "-out", pem],
                       check=True, capture_output=True)
        for options in (["-iter", "1"], ["-legacy", "-iter", "1"], ["-iter", "1", "-nomac"]):
            out = os.path.join(scratch, "out.p12")
            subprocess.run(["openssl", "pkcs12", "-export", "-in", pem, "-passout", "pass:", "-out",
                            out] + options, check=True, capture_output=True)
            yield " ".join(options), open(out, "rb").read()


def from_external_files(seeds):
    """The readers of `ipsecsim check`, seeded with the documented external
    endpoint files and the Libreswan reader's test configurations."""
    external = os.path.join(ROOT, "scenarios", "external")
    for path in sorted(glob.glob(os.path.join(external, "*.conf")) +
                       glob.glob(os.path.join(ROOT, "tests", "data", "libreswan", "*.conf"))):
        seeds.add("fuzz_libreswan_conf", open(path, "rb").read(), os.path.basename(path))
    for path in sorted(glob.glob(os.path.join(external, "*.bu")) +
                       glob.glob(os.path.join(external, "*.yaml"))):
        seeds.add("fuzz_butane", open(path, "rb").read()[:8192], os.path.basename(path))
    # What a run's pluto loads: the external-host scenarios' files, both sides.
    for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "external-host", "*.conf")) +
                       glob.glob(os.path.join(ROOT, "tests", "data", "bad", "ext-*.conf"))):
        if os.path.getsize(path) <= 8192:
            seeds.add("fuzz_pluto_conns", open(path, "rb").read(), os.path.basename(path))
    for path in sorted(glob.glob(os.path.join(external, "*.p12"))):
        seeds.add("fuzz_pkcs12", open(path, "rb").read(), os.path.basename(path))
        for options, bundle in reexported_bundles(path):
            seeds.add("fuzz_pkcs12", bundle, options)


def from_reports(seeds, directory):
    for path in glob.glob(os.path.join(directory, "*.json")) + glob.glob(
            os.path.join(directory, "*.xml")):
        data = open(path, "rb").read()[:4096]
        seeds.add("fuzz_report_writers", data, os.path.basename(path))


def main():
    seeds = Seeds()
    for directory in sys.argv[1:]:
        for pcap in sorted(glob.glob(os.path.join(directory, "pcap", "*.pcap"))):
            from_capture(seeds, pcap)
        from_certificates(seeds, directory)
        from_reports(seeds, directory)
    from_scenarios(seeds)
    from_external_files(seeds)
    handmade(seeds)
    seeds.write()


if __name__ == "__main__":
    main()
