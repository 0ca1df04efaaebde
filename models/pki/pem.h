// PEM armour (RFC 7468): base64 with 64-character lines between BEGIN/END.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bytes.h"

namespace ipsecsim::pki {

// label is e.g. "CERTIFICATE", "CERTIFICATE REQUEST", "PRIVATE KEY".
std::string PemEncode(const Bytes& der, std::string_view label);
// Every block with this label, in file order; text outside blocks is ignored.
// A block whose base64 does not decode is skipped and counted in *badBlocks.
std::vector<Bytes> PemDecodeAll(std::string_view text, std::string_view label,
                                size_t* badBlocks = nullptr);

}  // namespace ipsecsim::pki
