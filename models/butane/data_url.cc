#include "data_url.h"

#include <cryptopp/base64.h>
#include <cryptopp/filters.h>
#include <cryptopp/gzip.h>

#include <algorithm>
#include <cctype>

namespace ipsecsim::butane {

namespace {

bool IsUnreserved(uint8_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  for (char k : std::string_view("-_.!~*'()"))
    if (c == static_cast<uint8_t>(k)) return true;
  return false;
}

std::string Escape(const Bytes& data) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (uint8_t b : data) {
    if (IsUnreserved(b)) {
      out += static_cast<char>(b);
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

std::string Base64(const Bytes& data) {
  std::string out;
  CryptoPP::StringSource(data.data(), data.size(), true,
                         new CryptoPP::Base64Encoder(new CryptoPP::StringSink(out), false));
  return out;
}

Bytes Gzip(const Bytes& data) {
  std::string out;
  CryptoPP::StringSource(
      data.data(), data.size(), true,
      new CryptoPP::Gzip(new CryptoPP::StringSink(out), CryptoPP::Gzip::MAX_DEFLATE_LEVEL));
  return Bytes(out.begin(), out.end());
}

}  // namespace

EncodedContents MakeDataUrl(const Bytes& contents, bool allowCompression) {
  std::string opaque = "," + Escape(contents);
  const std::string b64 = ";base64," + Base64(contents);
  if (b64.size() < opaque.size()) opaque = b64;
  EncodedContents out{"", ""};
  if (allowCompression) {
    const std::string gz = ";base64," + Base64(Gzip(contents));
    if (gz.size() + 4 < opaque.size()) {
      opaque = gz;
      out.compression = "gzip";
    }
  }
  out.source = "data:" + opaque;
  return out;
}

std::optional<Bytes> DecodeDataUrl(std::string_view url, const std::string& compression,
                                   std::string* why, size_t maxBytes) {
  auto fail = [&](const std::string& reason) -> std::optional<Bytes> {
    if (why) *why = reason;
    return std::nullopt;
  };
  if (url.substr(0, 5) != "data:") return fail("expected a data URL (data:...)");
  const size_t comma = url.find(',');
  if (comma == std::string_view::npos) return fail("data URL without a ',' before its data");
  const std::string_view meta = url.substr(5, comma - 5);
  const bool base64 = meta.size() >= 7 && meta.substr(meta.size() - 7) == ";base64";
  const std::string_view data = url.substr(comma + 1);
  std::string text;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '%') {
      text += data[i];
      continue;
    }
    const auto byte = i + 2 < data.size() ? ParseHex(data.substr(i + 1, 2)) : std::nullopt;
    if (!byte || byte->size() != 1)
      return fail("bad %-escape at character " + std::to_string(comma + 1 + i));
    text += static_cast<char>(byte->front());
    i += 2;
  }
  Bytes raw;
  if (base64) {
    for (char c : text)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' ||
            c == '\n' || c == '\r'))
        return fail(std::string("bad base64 character '") + c + "'");
    std::string decoded;
    CryptoPP::StringSource(text, true,
                           new CryptoPP::Base64Decoder(new CryptoPP::StringSink(decoded)));
    raw.assign(decoded.begin(), decoded.end());
  } else {
    raw.assign(text.begin(), text.end());
  }
  if (compression == "gzip") {
    try {
      std::string plain;
      CryptoPP::Gunzip gunzip(new CryptoPP::StringSink(plain));
      // In small pieces, so that a gzip bomb stops at the limit (deflate
      // expands at most about 1000-fold per input byte).
      for (size_t at = 0; at < raw.size(); at += 256) {
        gunzip.Put(raw.data() + at, std::min<size_t>(256, raw.size() - at));
        if (plain.size() > maxBytes)
          return fail("gzip contents larger than " + std::to_string(maxBytes) + " bytes");
      }
      gunzip.MessageEnd();
      if (plain.size() > maxBytes)
        return fail("gzip contents larger than " + std::to_string(maxBytes) + " bytes");
      raw.assign(plain.begin(), plain.end());
    } catch (const CryptoPP::Exception& e) {
      return fail(std::string("compression: gzip, but the data does not gunzip: ") + e.what());
    }
  } else if (!compression.empty()) {
    return fail("compression \"" + compression + "\" (expected null or gzip)");
  }
  return raw;
}

}  // namespace ipsecsim::butane
