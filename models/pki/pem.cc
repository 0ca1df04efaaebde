#include "pem.h"

#include <cryptopp/base64.h>
#include <cryptopp/filters.h>

namespace ipsecsim::pki {

std::string PemEncode(const Bytes& der, std::string_view label) {
  std::string body;
  CryptoPP::StringSource(der.data(), der.size(), true,
                         new CryptoPP::Base64Encoder(new CryptoPP::StringSink(body),
                                                     /*insertLineBreaks=*/true, 64));
  if (!body.empty() && body.back() != '\n') body.push_back('\n');
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  out += body;
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

namespace {
bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=';
}
}  // namespace

std::vector<Bytes> PemDecodeAll(std::string_view text, std::string_view label, size_t* badBlocks) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";
  std::vector<Bytes> blocks;
  size_t pos = 0;
  while ((pos = text.find(begin, pos)) != std::string_view::npos) {
    const size_t bodyStart = pos + begin.size();
    const size_t bodyEnd = text.find(end, bodyStart);
    if (bodyEnd == std::string_view::npos) break;
    std::string body;
    bool clean = true;
    for (char c : text.substr(bodyStart, bodyEnd - bodyStart)) {
      if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
      if (!IsBase64Char(c)) clean = false;
      body.push_back(c);
    }
    Bytes der;
    if (clean && !body.empty()) {
      std::string decoded;
      CryptoPP::StringSource(body, true,
                             new CryptoPP::Base64Decoder(new CryptoPP::StringSink(decoded)));
      der.assign(decoded.begin(), decoded.end());
    }
    if (der.empty()) {
      if (badBlocks) ++*badBlocks;
    } else {
      blocks.push_back(std::move(der));
    }
    pos = bodyEnd + end.size();
  }
  return blocks;
}

}  // namespace ipsecsim::pki
