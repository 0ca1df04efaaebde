#include "cli_esp.h"

#include <iostream>
#include <memory>
#include <sstream>

#include "cli_numbers.h"
#include "esp_codec.h"
#include "tunnel_headers.h"

namespace ipsecsim::cli {

namespace {

struct EncryptArgs {
  std::string spi, keymat, seq, iv, nextHeader, payload, mode = "transport";
  bool esn = false;
};
struct DecryptArgs {
  std::string spi, keymat, packet, esnHigh, mode = "transport";
};

// Tunnel mode (RFC 4303 §3.1.2) carries a whole IP packet: next header 4
// for IPv4, 41 for IPv6.
uint8_t TunnelNextHeader(const Bytes& payload) {
  const uint8_t version = payload.empty() ? 0 : payload[0] >> 4;
  const uint8_t nh = version == 6 ? xfrm::kProtoIpv6 : xfrm::kProtoIpip;
  if ((version != 4 && version != 6) || !xfrm::ParseInnerPacket(nh, payload.data(), payload.size()))
    throw UsageError{
        "--payload: with --mode tunnel, expected a whole IPv4 or IPv6 packet (its "
        "header's length fields no longer than the bytes given)"};
  return nh;
}

std::string InnerText(const xfrm::InnerPacket& inner) {
  std::ostringstream os;
  if (inner.flow.ipv6) {
    os << "IPv6 " << inner.flow.src6 << " > " << inner.flow.dst6;
  } else {
    os << "IPv4 " << inner.flow.src << " > " << inner.flow.dst;
  }
  os << " protocol " << unsigned(inner.flow.protocol) << " length " << inner.length;
  return os.str();
}

std::unique_ptr<esp::GcmKey> KeyFrom(const std::string& hex) {
  std::string err;
  auto key = esp::GcmKey::FromKeymat(ParseHexOption("--keymat", hex), &err);
  if (!key) throw UsageError{"--keymat: " + err};
  return key;
}

int Encrypt(const EncryptArgs& a) {
  const auto spi = uint32_t(ParseUnsigned("--spi", a.spi, UINT32_MAX));
  const uint64_t seq = ParseUnsigned("--seq", a.seq, UINT64_MAX);
  if (!a.esn && seq > UINT32_MAX) {
    throw UsageError{"--seq: " + a.seq +
                     " needs more than 32 bits; add --esn for 64-bit "
                     "extended sequence numbers"};
  }
  const Bytes iv = ParseHexOption("--iv", a.iv, esp::kIvLen);
  const Bytes payload = ParseHexOption("--payload", a.payload);
  uint8_t nh = 0;
  if (a.mode == "tunnel") {
    nh = TunnelNextHeader(payload);
    if (!a.nextHeader.empty() && ParseUnsigned("--next-header", a.nextHeader, 255) != nh)
      throw UsageError{"--next-header: with --mode tunnel it follows the payload's IP version: " +
                       std::to_string(nh) + " here (leave it out)"};
  } else if (a.nextHeader.empty()) {
    throw UsageError{"--next-header is required in transport mode"};
  } else {
    nh = uint8_t(ParseUnsigned("--next-header", a.nextHeader, 255));
  }
  auto key = KeyFrom(a.keymat);
  Bytes pkt = key->Seal(spi, seq, a.esn, GetU64(iv.data()), nh, payload.data(), payload.size());
  std::cout << ToHex(pkt) << "\n";
  return 0;
}

// Bytes copied past the ICV (an Ethernet FCS, the rest of a frame) are the
// usual cause of an ICV mismatch with the right key. Only the right length
// authenticates, so a shorter prefix that opens tells how many there were.
std::string TrailingBytesHint(esp::GcmKey& key, const Bytes& packet, bool esn, uint32_t high) {
  constexpr size_t kMaxTrailing = 64;
  Bytes payload;
  uint8_t nh = 0;
  for (size_t extra = 1; extra <= kMaxTrailing && packet.size() - extra >= esp::kMinPacketLen;
       ++extra) {
    if (key.Open(packet.data(), packet.size() - extra, esn, high, &payload, &nh) ==
        esp::GcmKey::OpenResult::kOk) {
      return "  the packet authenticates without its last " + std::to_string(extra) +
             " bytes: --packet must end at the ICV; the hex carries " + std::to_string(extra) +
             " bytes past it (4: an Ethernet FCS)\n";
    }
  }
  return "  --packet must be the ESP packet alone, from the SPI to the ICV (the IP payload, "
         "after the UDP header with ESP in UDP 4500); bytes past it, such as an Ethernet FCS, "
         "make the ICV check fail, as would a wrong --keymat or --esn-high\n";
}

int Decrypt(const DecryptArgs& a) {
  const auto spi = uint32_t(ParseUnsigned("--spi", a.spi, UINT32_MAX));
  const Bytes packet = ParseHexOption("--packet", a.packet);
  const bool esn = !a.esnHigh.empty();
  const auto high = esn ? uint32_t(ParseUnsigned("--esn-high", a.esnHigh, UINT32_MAX)) : 0;
  auto key = KeyFrom(a.keymat);
  esp::EspHeaderView hdr;
  if (!esp::PeekHeader(packet.data(), packet.size(), &hdr)) {
    std::cerr << "ipsecsim esp decrypt: packet truncated: " << packet.size()
              << " bytes, shorter than the 8-byte ESP header (XfrmInHdrError)\n";
    return 1;
  }
  if (hdr.spi != spi) {
    std::cerr << "ipsecsim esp decrypt: the packet's SPI 0x" << ToHex(packet.data(), 4)
              << " is not --spi (XfrmInNoStates)\n";
    return 1;
  }
  Bytes payload;
  uint8_t nh = 0;
  auto r = key->Open(packet.data(), packet.size(), esn, high, &payload, &nh);
  if (r != esp::GcmKey::OpenResult::kOk) {
    const char* counter =
        r == esp::GcmKey::OpenResult::kTruncated ? "XfrmInHdrError" : "XfrmInStateProtoError";
    std::cerr << "ipsecsim esp decrypt: " << esp::OpenResultName(r) << " (" << counter << ")\n";
    if (r == esp::GcmKey::OpenResult::kIcvMismatch)
      std::cerr << TrailingBytesHint(*key, packet, esn, high);
    return 1;
  }
  std::cout << "next-header " << unsigned(nh) << " payload " << ToHex(payload) << "\n";
  if (a.mode == "tunnel") {
    // xfrm_prepare_input: a tunnel SA's payload must be an IP packet.
    const auto inner = xfrm::ParseInnerPacket(nh, payload.data(), payload.size());
    if (!inner) {
      std::cerr << "ipsecsim esp decrypt: in tunnel mode the payload must be an IP packet "
                   "(next header 4 or 41 and a whole header); next header "
                << unsigned(nh) << " (XfrmInStateModeError)\n";
      return 1;
    }
    std::cout << "inner " << InnerText(*inner) << "\n";
  }
  return 0;
}

}  // namespace

void AddEspCommand(CLI::App& app, std::function<int()>* action) {
  auto* esp = app.add_subcommand("esp", "Encrypt or decrypt one ESP packet (AES-GCM-16, RFC 4106)");
  esp->require_subcommand(1);

  auto enc = std::make_shared<EncryptArgs>();
  auto* e = esp->add_subcommand("encrypt", "Print the ESP packet (SPI .. ICV) as one line of hex");
  e->add_option("--spi", enc->spi, "SPI, decimal or 0x-hex")->required();
  e->add_option("--keymat", enc->keymat, "AES key || 4-byte salt, hex")->required();
  e->add_option("--seq", enc->seq, "sequence number (up to 64 bits with --esn)")->required();
  e->add_flag("--esn", enc->esn, "extended sequence numbers: high 32 bits enter the AAD");
  e->add_option("--iv", enc->iv, "8-byte explicit IV, hex")->required();
  e->add_option("--next-header", enc->nextHeader,
                "next header (IP protocol), 0-255; in tunnel mode 4 or 41 from the payload");
  e->add_option("--mode", enc->mode, "transport (default) or tunnel (--payload is an IP packet)")
      ->check(CLI::IsMember({"transport", "tunnel"}));
  e->add_option("--payload", enc->payload, "payload, hex")->required();
  e->callback([enc, action] { *action = [enc] { return Encrypt(*enc); }; });

  auto dec = std::make_shared<DecryptArgs>();
  auto* d = esp->add_subcommand("decrypt", "Verify and decrypt one ESP packet");
  d->add_option("--spi", dec->spi, "SPI, decimal or 0x-hex")->required();
  d->add_option("--keymat", dec->keymat, "AES key || 4-byte salt, hex")->required();
  d->add_option("--packet", dec->packet, "ESP packet (SPI .. ICV), hex")->required();
  d->add_option("--esn-high", dec->esnHigh, "high 32 bits of an extended sequence number");
  d->add_option("--mode", dec->mode,
                "transport (default) or tunnel (the payload must be an IP "
                "packet, printed as `inner ...`)")
      ->check(CLI::IsMember({"transport", "tunnel"}));
  d->callback([dec, action] { *action = [dec] { return Decrypt(*dec); }; });
}

}  // namespace ipsecsim::cli
