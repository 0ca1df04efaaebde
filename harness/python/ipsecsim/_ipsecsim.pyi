"""The compiled part of ipsecsim (pybind11)."""
from typing import Any, Dict, Optional, Tuple

class ScenarioError(ValueError):
    """A scenario that does not load: FILE:LINE: KEY: what was expected."""

def run_file(path: str, out: str = "", pcap: bool = False, certs: bool = False,
             seed: Optional[int] = None) -> Dict[str, Any]:
    """Runs a scenario file; returns report.json as a dict."""

def run_text(yaml: str, name: str = "<string>", out: str = "", pcap: bool = False,
             certs: bool = False, seed: Optional[int] = None) -> Dict[str, Any]:
    """Runs a scenario given as YAML text; returns report.json as a dict."""

def load_text(yaml: str, name: str = "<string>") -> None:
    """Loads a scenario without running it; raises ScenarioError if it does not load."""

def yaml_to_json(yaml: str, name: str = "<string>") -> str:
    """A scenario's YAML as JSON text, every scalar as its text, in file order;
    raises ScenarioError if it does not load."""

def esp_encrypt(spi: int, keymat: bytes, seq: int, iv: bytes, next_header: int, payload: bytes,
                esn: bool = False) -> bytes:
    """The ESP packet (SPI .. ICV), AES-GCM-16 per RFC 4106."""

def esp_decrypt(keymat: bytes, packet: bytes,
                esn_high: Optional[int] = None) -> Tuple[int, bytes]:
    """(next_header, payload); raises ValueError naming the failure."""
