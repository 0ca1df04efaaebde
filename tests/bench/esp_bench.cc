// Benchmark: ESP encrypt+decrypt through the SAs versus bare Crypto++ AES-GCM
// on the same buffers in the same run. Prints packets/s and the ratio
// (ESP / raw): the cost of framing, padding, sequence and replay handling.
#include <cryptopp/aes.h>
#include <cryptopp/gcm.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "esp_sa.h"

using namespace ipsecsim;
using Clock = std::chrono::steady_clock;

namespace {

const Bytes kKeymat =
    *ParseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f01020304");

double EspPacketsPerSecond(size_t size, double seconds) {
  esp::SaConfig cfg;
  cfg.spi = 0x1000;
  cfg.keymat = kKeymat;
  auto out = esp::OutboundSa::Create(cfg, nullptr);
  auto in = esp::InboundSa::Create(cfg, nullptr);
  Bytes payload(size, 0x5a);
  uint64_t n = 0;
  auto start = Clock::now();
  std::chrono::duration<double> elapsed{};
  do {
    for (int i = 0; i < 256; ++i) {
      auto pkt = out->Protect(17, payload.data(), payload.size());
      auto r = in->Process(pkt->data(), pkt->size());
      if (!r.ok) std::abort();
    }
    n += 256;
    elapsed = Clock::now() - start;
  } while (elapsed.count() < seconds);
  return n / elapsed.count();
}

double RawGcmPacketsPerSecond(size_t size, double seconds) {
  CryptoPP::GCM<CryptoPP::AES>::Encryption enc;
  CryptoPP::GCM<CryptoPP::AES>::Decryption dec;
  uint8_t nonce[12] = {1, 2, 3, 4};
  enc.SetKeyWithIV(kKeymat.data(), 32, nonce, 12);
  dec.SetKeyWithIV(kKeymat.data(), 32, nonce, 12);
  Bytes plain(size, 0x5a), cipher(size), back(size);
  uint8_t aad[8] = {0, 0, 0x10, 0}, icv[16];
  uint64_t n = 0;
  auto start = Clock::now();
  std::chrono::duration<double> elapsed{};
  do {
    for (int i = 0; i < 256; ++i) {
      PutU64(nonce + 4, n + i);
      enc.EncryptAndAuthenticate(cipher.data(), icv, 16, nonce, 12, aad, 8, plain.data(), size);
      if (!dec.DecryptAndVerify(back.data(), icv, 16, nonce, 12, aad, 8, cipher.data(), size)) {
        std::abort();
      }
    }
    n += 256;
    elapsed = Clock::now() - start;
  } while (elapsed.count() < seconds);
  return n / elapsed.count();
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  std::printf("%-8s %16s %16s %8s\n", "payload", "esp pkts/s", "raw gcm pkts/s", "ratio");
  for (size_t size : {64, 512, 1400, 8192}) {
    // Interleave two rounds of each to spread machine noise over both.
    double esp = 0, raw = 0;
    for (int round = 0; round < 2; ++round) {
      raw += RawGcmPacketsPerSecond(size, seconds / 2);
      esp += EspPacketsPerSecond(size, seconds / 2);
    }
    std::printf("%-8zu %16.0f %16.0f %8.3f\n", size, esp / 2, raw / 2, esp / raw);
  }
  return 0;
}
