"""A CA and a server and a client certificate made with Python's cryptography CertificateBuilder, which adds
no extension it is not asked for: the leaves carry no authorityKeyIdentifier (issue 13 item 2).
Usage: python3 no-aki-pki.py DIR"""
import datetime
import ipaddress
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

out = sys.argv[1]
now = datetime.datetime.now(datetime.timezone.utc)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Home-grown"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def save(stem, cert, key):
    with open(f"{out}/{stem}.crt", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(f"{out}/{stem}.key", "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def builder(subject, issuer, key):
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=30)))


ca_key = ec.generate_private_key(ec.SECP256R1())
ca = (builder(name("Home-grown CA"), name("Home-grown CA"), ca_key)
      .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
      .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
      .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
      .sign(ca_key, hashes.SHA256()))
save("ca", ca, ca_key)

for stem, cn, usage, sans in [
    ("server", "localhost", ExtendedKeyUsageOID.SERVER_AUTH, [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
    ("client", "Home-grown Client", ExtendedKeyUsageOID.CLIENT_AUTH, None),
]:
    key = ec.generate_private_key(ec.SECP256R1())
    b = (builder(name(cn), ca.subject, key)
         .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
         .add_extension(x509.ExtendedKeyUsage([usage]), critical=False))
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    save(stem, b.sign(ca_key, hashes.SHA256()), key)
