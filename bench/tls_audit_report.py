#!/usr/bin/env python3
"""Summarises bench/tls-audit.sh's sslscan XML and testssl.sh JSON; exit 1 on a regression.

Rules (issue 8): only TLS 1.2 and 1.3; only forward-secret AEAD suites; no testssl.sh finding above
LOW; the served chain complete (testssl.sh's chain of trust passes against our CA)."""
import datetime, json, os, platform, sys
import xml.etree.ElementTree as ET

out = sys.argv[1]
BAD = {"MEDIUM", "HIGH", "CRITICAL"}
# Deliberate choices, explained in README.md ("Security choices"); reported, not failed.
ACCEPTED = {
    "cert_revocation": "a private CA: revocation is checked against CRLs the operator gives (mtls verify --crl), no CRL or OCSP URL is published",
}
failures, lines = [], []


def sslscan(mode):
    root = ET.parse(f"{out}/{mode}-sslscan.xml").getroot()
    protocols = sorted(f"{p.get('type').upper()}v{p.get('version')}" for p in root.iter("protocol") if p.get("enabled") == "1")
    ciphers = [(c.get("sslversion"), c.get("cipher")) for c in root.iter("cipher") if c.get("status") in ("accepted", "preferred")]
    if protocols != ["TLSv1.2", "TLSv1.3"]:
        failures.append(f"{mode}: protocols offered {protocols}, expected TLSv1.2 and TLSv1.3 only")
    for version, name in ciphers:
        aead = any(k in name for k in ("GCM", "CHACHA20", "CCM")) and "CCM8" not in name
        fs = version == "TLSv1.3" or name.startswith(("ECDHE-", "DHE-"))
        if not (aead and fs):
            failures.append(f"{mode}: {version} {name} is not a forward-secret AEAD suite")
    return protocols, ciphers


def testssl(mode):
    path = f"{out}/{mode}-testssl.json"
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        failures.append(f"{mode}: testssl.sh wrote no results")
        return [], [], "missing"
    findings = json.load(open(path))
    if isinstance(findings, dict):  # --jsonfile-pretty layout
        findings = [f for r in findings.get("scanResult", []) for v in r.values() if isinstance(v, list) for f in v]
    accepted = [f for f in findings if f.get("severity") in BAD and f.get("id") in ACCEPTED]
    bad = [f for f in findings if f.get("severity") in BAD and f.get("id") not in ACCEPTED]
    low = [f for f in findings if f.get("severity") == "LOW"]
    chain = next((f.get("finding", "") for f in findings if f.get("id", "").startswith("cert_chain_of_trust")), "not reported")
    for f in bad:
        failures.append(f"{mode}: testssl.sh {f['severity']} {f['id']}: {f.get('finding')}")
    if not chain.startswith("passed"):
        failures.append(f"{mode}: chain of trust: {chain}")
    return bad, low + accepted, chain


when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
lines.append(f"\n## TLS audit: testssl.sh and sslscan vs mtls serve ({when} UTC, {os.cpu_count()} cores, {cpu}, {platform.node()})\n")
lines.append("| server | protocols | suites accepted | testssl.sh above LOW | LOW and accepted findings | chain of trust |")
lines.append("|---|---|---|---|---|---|")
for mode, label in (("plain", "mtls serve"), ("mtls", "mtls serve --client-ca")):
    protocols, ciphers = sslscan(mode)
    bad, low, chain = testssl(mode)
    lines.append(f"| {label} | {', '.join(protocols)} | {', '.join(sorted({c for _, c in ciphers}))} | {len(bad)} | "
                 f"{'; '.join(sorted({f['id'] for f in low})) or 'none'} | {chain} |")
lines.append("")
lines.extend(f"Accepted (deliberate): {k}: {v}." for k, v in ACCEPTED.items())
lines.append("Verdict: " + ("PASS" if not failures else "FAIL"))
lines.extend(f"- {f}" for f in failures)
print("\n".join(lines))
sys.exit(1 if failures else 0)
