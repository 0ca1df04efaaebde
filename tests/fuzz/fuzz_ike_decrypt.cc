// libFuzzer target for IKE decryption with keys (SkCipher::Open). The first
// byte picks what the rest is:
//   even: a whole datagram, parsed and, when it ends in an SK payload, opened
//         with the responder's key (ICV, then padding, then the inner chain);
//   odd:  the plaintext of an SK payload (inner payloads, padding and pad
//         length; its first inner payload type is the second byte), sealed
//         here with that key so that the fuzzer reaches past the ICV.
// Nothing may read out of bounds, every error must point inside the message,
// and whatever opens must re-seal and open to the same payloads.
#include <cryptopp/aes.h>
#include <cryptopp/gcm.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "encrypted_payload.h"
#include "ike_message.h"

using namespace ipsecsim;
using namespace ipsecsim::ike;

namespace {

const Bytes& Keymat() {
  static const Bytes keymat = [] {
    Bytes k(kSkKeymatLen);
    for (size_t i = 0; i < k.size(); ++i) k[i] = uint8_t(0x40 + i);
    return k;
  }();
  return keymat;
}

SkCipher& Cipher() {
  static std::unique_ptr<SkCipher> cipher = SkCipher::FromKeymat(Keymat(), nullptr);
  return *cipher;
}

IkeHeader Header() {
  IkeHeader h;
  h.spiI = 0x1122334455667788ull;
  h.spiR = 0x99aabbccddeeff00ull;
  h.exchange = ExchangeType::kInformational;
  h.flags = header_flags::kInitiator;
  h.messageId = 2;
  return h;
}

// IKE header, SK generic header, IV, AES-GCM of `plaintext`, ICV.
Bytes Seal(const uint8_t* plaintext, size_t len, PayloadType firstInner) {
  const size_t skLength = kGenericPayloadHeaderLen + kSkIvLen + len + kSkIcvLen;
  Bytes message;
  EncodeHeader(Header(), PayloadType::kSk, uint32_t(kIkeHeaderLen + skLength), &message);
  message.push_back(uint8_t(firstInner));
  message.push_back(0);
  message.push_back(uint8_t(skLength >> 8));
  message.push_back(uint8_t(skLength));
  const size_t aad = message.size();
  const uint8_t iv[kSkIvLen] = {0, 0, 0, 0, 0, 0, 0, 7};
  message.insert(message.end(), iv, iv + kSkIvLen);
  Bytes nonce(Keymat().begin() + kSkAesKeyLen, Keymat().end());
  nonce.insert(nonce.end(), iv, iv + kSkIvLen);
  CryptoPP::GCM<CryptoPP::AES>::Encryption enc;
  enc.SetKeyWithIV(Keymat().data(), kSkAesKeyLen, nonce.data(), nonce.size());
  Bytes ciphertext(len), icv(kSkIcvLen);
  enc.EncryptAndAuthenticate(ciphertext.data(), icv.data(), icv.size(), nonce.data(),
                             int(nonce.size()), message.data(), aad, plaintext, len);
  message.insert(message.end(), ciphertext.begin(), ciphertext.end());
  message.insert(message.end(), icv.begin(), icv.end());
  return message;
}

void OpenAndCheck(const Bytes& datagram) {
  auto parsed = ParseMessage(datagram);
  if (!parsed.Ok()) {
    if (parsed.Error().offset > datagram.size()) __builtin_trap();
    return;
  }
  const IkeMessage& message = parsed.Value();
  if (message.payloads.empty()) return;
  const auto* sk = BodyOf<EncryptedPayload>(&message.payloads.back());
  if (!sk) return;
  auto opened = Cipher().Open(datagram, *sk);
  if (!opened.Ok()) {
    if (opened.Error().offset > datagram.size() || opened.Error().expected.empty())
      __builtin_trap();
    return;
  }
  // What opened seals again under the same key and opens to the same bytes.
  std::vector<Payload> clear(message.payloads.begin(), message.payloads.end() - 1);
  const Bytes resealed = Cipher().Seal(message.header, clear, opened.Value(), 9);
  auto again = ParseMessage(resealed);
  if (!again.Ok()) __builtin_trap();
  const auto* sk2 = BodyOf<EncryptedPayload>(&again.Value().payloads.back());
  if (!sk2) __builtin_trap();
  auto reopened = Cipher().Open(resealed, *sk2);
  if (!reopened.Ok()) __builtin_trap();
  Bytes first, second;
  EncodePayloadChain(opened.Value(), &first);
  EncodePayloadChain(reopened.Value(), &second);
  if (first != second) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  if (data[0] % 2 == 0) {
    OpenAndCheck(Bytes(data + 1, data + size));
  } else {
    OpenAndCheck(Seal(data + 2, size - 2, PayloadType(data[1])));
  }
  return 0;
}
