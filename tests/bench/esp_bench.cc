// Benchmark: ESP encrypt+decrypt through the SAs versus bare Crypto++ AES-GCM
// on the same buffers in the same run. Prints packets/s and the ratio
// (ESP / raw): the cost of framing, padding, sequence and replay handling.
// Two ESP paths: the copying API (Protect/Process, a new buffer per call)
// and the in-place API the simulator's data path uses.
//
// Rounds of the three variants are interleaved and each ratio is the median
// of the per-round ratios, so a burst of load from other processes on this
// shared machine moves one round, not the result.
#include <cryptopp/aes.h>
#include <cryptopp/gcm.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "esp_sa.h"

using namespace ipsecsim;
using Clock = std::chrono::steady_clock;

namespace {

const Bytes kKeymat =
    *ParseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f01020304");

esp::SaConfig Config() {
  esp::SaConfig cfg;
  cfg.spi = 0x1000;
  cfg.keymat = kKeymat;
  return cfg;
}

// Packets per second of `step` (one encrypt + one decrypt) over `seconds`.
double Rate(const std::function<void()>& step, double seconds) {
  uint64_t n = 0;
  const auto start = Clock::now();
  std::chrono::duration<double> elapsed{};
  do {
    for (int i = 0; i < 64; ++i) step();
    n += 64;
    elapsed = Clock::now() - start;
  } while (elapsed.count() < seconds);
  return n / elapsed.count();
}

struct Variants {
  explicit Variants(size_t size)
      : payload(size, 0x5a),
        scratch(esp::SealedLength(size)),
        plain(size, 0x5a),
        cipher(size),
        back(size) {
    out = esp::OutboundSa::Create(Config(), nullptr);
    in = esp::InboundSa::Create(Config(), nullptr);
    outInPlace = esp::OutboundSa::Create(Config(), nullptr);
    inInPlace = esp::InboundSa::Create(Config(), nullptr);
    enc.SetKeyWithIV(kKeymat.data(), 32, nonce, 12);
    dec.SetKeyWithIV(kKeymat.data(), 32, nonce, 12);
  }

  void Copying() {
    auto pkt = out->Protect(17, payload.data(), payload.size());
    if (!in->Process(pkt->data(), pkt->size()).ok) std::abort();
  }
  void InPlace() {
    std::copy(payload.begin(), payload.end(), scratch.begin() + esp::kPayloadOffset);
    auto len = outInPlace->ProtectInPlace(17, scratch.data(), payload.size());
    if (!len || !inInPlace->ProcessInPlace(scratch.data(), *len).ok) std::abort();
  }
  void RawGcm() {
    PutU64(nonce + 4, ++counter);
    enc.EncryptAndAuthenticate(cipher.data(), icv, 16, nonce, 12, aad, 8, plain.data(),
                               plain.size());
    if (!dec.DecryptAndVerify(back.data(), icv, 16, nonce, 12, aad, 8, cipher.data(),
                              cipher.size())) {
      std::abort();
    }
  }

  Bytes payload, scratch, plain, cipher, back;
  std::unique_ptr<esp::OutboundSa> out, outInPlace;
  std::unique_ptr<esp::InboundSa> in, inInPlace;
  CryptoPP::GCM<CryptoPP::AES>::Encryption enc;
  CryptoPP::GCM<CryptoPP::AES>::Decryption dec;
  uint8_t nonce[12] = {1, 2, 3, 4};
  uint8_t aad[8] = {0, 0, 0x10, 0};
  uint8_t icv[16];
  uint64_t counter = 0;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  const int rounds = 7;
  const double slice = seconds / rounds / 3;
  std::printf("%-8s %14s %14s %14s %10s %10s\n", "payload", "raw gcm pkt/s", "copying pkt/s",
              "in-place pkt/s", "copying", "in-place");
  for (size_t size : {64, 512, 1400, 8192}) {
    Variants v(size);
    std::vector<double> raw, copying, inPlace, rCopying, rInPlace;
    for (int r = 0; r < rounds; ++r) {
      raw.push_back(Rate([&] { v.RawGcm(); }, slice));
      copying.push_back(Rate([&] { v.Copying(); }, slice));
      inPlace.push_back(Rate([&] { v.InPlace(); }, slice));
      rCopying.push_back(copying.back() / raw.back());
      rInPlace.push_back(inPlace.back() / raw.back());
    }
    std::printf("%-8zu %14.0f %14.0f %14.0f %10.3f %10.3f\n", size, Median(raw), Median(copying),
                Median(inPlace), Median(rCopying), Median(rInPlace));
  }
  std::printf("ratios: ESP packets/s over raw AES-GCM packets/s, median of %d interleaved rounds\n",
              rounds);
  return 0;
}
