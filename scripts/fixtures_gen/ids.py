"""Deterministic identities: UUIDs, timestamps, MAC addresses and serial numbers derived from names.

Nothing here is random, so regenerating gives the same bytes and tests may hard-code an extId.
"""
import datetime
import hashlib
import uuid

from .sdk import PrismTime

# Fixed namespace of every fixture UUID (uuid5 of a constant name, RFC 9562 section 5.5).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pcmock.invalid/fixtures")

# The well-known extId of the built-in `admin` user on Prism Central.
ADMIN_USER_EXT_ID = "00000000-0000-0000-0000-000000000000"

EPOCH = datetime.datetime(2026, 1, 15, 10, 0, 0, tzinfo=datetime.timezone.utc)

# Nutanix's OUI, used by AHV for the MAC addresses of virtual NICs.
AHV_MAC_PREFIX = "50:6b:8d"


def uid(kind, name):
    """The extId of the fixture entity `name` of `kind` (stable across runs and machines)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{name}"))


def at(minutes=0, seed=None):
    """`EPOCH` plus some minutes; a seed adds stable sub-second noise so times look recorded."""
    micros = 0 if seed is None else int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % 1_000_000
    moment = EPOCH + datetime.timedelta(minutes=minutes, microseconds=micros)
    return PrismTime(
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
        moment.microsecond, tzinfo=datetime.timezone.utc,
    )


def mac(name):
    digest = hashlib.sha256(f"mac/{name}".encode()).digest()
    return AHV_MAC_PREFIX + "".join(f":{byte:02x}" for byte in digest[:3])


def serial(prefix, name, length=10):
    digest = hashlib.sha256(f"serial/{name}".encode()).hexdigest().upper()
    return prefix + digest[: length - len(prefix)]


def sha256_hex(text):
    return hashlib.sha256(text.encode()).hexdigest()


GIB = 1024**3
TIB = 1024**4
