// Distinguished names. ipsecsim writes names with a single commonName
// (UTF8String) and reads any name, keeping its DER for issuer/subject
// matching and its first commonName for display and ID checks.
#pragma once

#include <cryptopp/cryptlib.h>

#include <string>

#include "bytes.h"
#include "der_reader.h"

namespace ipsecsim::pki {

Bytes EncodeName(const std::string& commonName);

struct ParsedName {
  Bytes der;
  std::string commonName;  // empty when the name has none
};
ParsedName ReadName(CryptoPP::BufferedTransformation& in, DerContext& ctx, const std::string& what);

}  // namespace ipsecsim::pki
