#include "encrypted_payload.h"

#include <cryptopp/aes.h>
#include <cryptopp/gcm.h>

#include "payload_codec.h"

namespace ipsecsim::ike {

namespace {
// Pad Length byte only: GCM needs no block alignment (RFC 5282 §3).
constexpr size_t kPadLengthLen = 1;
}  // namespace

void EncodeBody(const EncryptedPayload& sk, WireWriter& w) {
  w.Append(sk.iv);
  w.Append(sk.ciphertext);
}

bool ParseBody(WireReader& r, EncryptedPayload* out, ParseError* error) {
  out->aadLength = r.Offset();
  if (!r.Take("SK initialization vector", kSkIvLen, &out->iv, error)) return false;
  if (r.Remaining() < kPadLengthLen + kSkIcvLen) {
    *error = r.ErrorHere("SK ciphertext with pad length and 16-byte ICV",
                         std::to_string(r.Remaining()) + " bytes present");
    return false;
  }
  return r.Take("SK ciphertext", r.Remaining(), &out->ciphertext, error);
}

std::unique_ptr<SkCipher> SkCipher::FromKeymat(const Bytes& keymat, std::string* error) {
  if (keymat.size() != kSkKeymatLen) {
    if (error)
      *error =
          "SK keymat must be 36 bytes (AES-256 key || salt), got " + std::to_string(keymat.size());
    return nullptr;
  }
  std::unique_ptr<SkCipher> c(new SkCipher);
  c->key_.assign(keymat.begin(), keymat.begin() + kSkAesKeyLen);
  c->salt_.assign(keymat.begin() + kSkAesKeyLen, keymat.end());
  return c;
}

Bytes SkCipher::Seal(const IkeHeader& header, const std::vector<Payload>& clearPayloads,
                     const std::vector<Payload>& inner, uint64_t iv) {
  Bytes plaintext;
  const PayloadType firstInner = EncodePayloadChain(inner, &plaintext);
  plaintext.push_back(0);  // pad length

  Bytes clear;
  std::vector<Payload> withSk = clearPayloads;
  EncryptedPayload placeholder;
  placeholder.firstInner = firstInner;
  withSk.push_back(Payload{PayloadType::kSk, false, placeholder});
  const PayloadType first = EncodePayloadChain(withSk, &clear);  // ends with the SK header
  const size_t skLength = kGenericPayloadHeaderLen + kSkIvLen + plaintext.size() + kSkIcvLen;
  clear[clear.size() - 2] = uint8_t(skLength >> 8);
  clear[clear.size() - 1] = uint8_t(skLength);

  Bytes message;
  const size_t total = kIkeHeaderLen + clear.size() + kSkIvLen + plaintext.size() + kSkIcvLen;
  EncodeHeader(header, first, uint32_t(total), &message);
  message.insert(message.end(), clear.begin(), clear.end());
  const size_t aadLength = message.size();

  Bytes ivBytes(kSkIvLen);
  PutU64(ivBytes.data(), iv);
  Bytes nonce = salt_;
  nonce.insert(nonce.end(), ivBytes.begin(), ivBytes.end());
  message.insert(message.end(), ivBytes.begin(), ivBytes.end());

  Bytes ciphertext(plaintext.size());
  Bytes icv(kSkIcvLen);
  CryptoPP::GCM<CryptoPP::AES>::Encryption enc;
  enc.SetKeyWithIV(key_.data(), key_.size(), nonce.data(), nonce.size());
  enc.EncryptAndAuthenticate(ciphertext.data(), icv.data(), icv.size(), nonce.data(),
                             int(nonce.size()), message.data(), aadLength, plaintext.data(),
                             plaintext.size());
  message.insert(message.end(), ciphertext.begin(), ciphertext.end());
  message.insert(message.end(), icv.begin(), icv.end());
  return message;
}

ParseResult<std::vector<Payload>> SkCipher::Open(const Bytes& message, const EncryptedPayload& sk) {
  const size_t cipherStart = sk.aadLength + kSkIvLen;
  if (sk.iv.size() != kSkIvLen || sk.ciphertext.size() < kPadLengthLen + kSkIcvLen ||
      sk.aadLength > message.size())
    return ParseError{sk.aadLength, "SK payload from ParseMessage", "malformed SK payload value"};
  const size_t plainLen = sk.ciphertext.size() - kSkIcvLen;
  Bytes nonce = salt_;
  nonce.insert(nonce.end(), sk.iv.begin(), sk.iv.end());
  Bytes plaintext(plainLen);
  CryptoPP::GCM<CryptoPP::AES>::Decryption dec;
  dec.SetKeyWithIV(key_.data(), key_.size(), nonce.data(), nonce.size());
  const bool ok = dec.DecryptAndVerify(plaintext.data(), sk.ciphertext.data() + plainLen, kSkIcvLen,
                                       nonce.data(), int(nonce.size()), message.data(),
                                       sk.aadLength, sk.ciphertext.data(), plainLen);
  if (!ok)
    return ParseError{cipherStart + plainLen, "SK integrity check value",
                      "ICV mismatch (wrong key or altered message)"};
  const uint8_t padLength = plaintext.back();
  if (size_t(padLength) + kPadLengthLen > plainLen)
    return ParseError{cipherStart + plainLen - 1, "SK pad length",
                      std::to_string(padLength) + " exceeds the plaintext"};
  return ParsePayloadChain(plaintext.data(), plainLen - kPadLengthLen - padLength, cipherStart,
                           sk.firstInner, false);
}

}  // namespace ipsecsim::ike
