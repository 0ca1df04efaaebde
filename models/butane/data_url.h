// Data URLs (RFC 2397) as butane writes file contents into Ignition
// (coreos/butane base/util/url.go MakeDataURL): the smallest of
//   data:,<URL-escaped>        (vincent-petithory/dataurl v1.0.0 Escape:
//                               [A-Za-z0-9-_.!~*'()] kept, every other byte %XX)
//   data:;base64,<base64>
//   data:;base64,<base64 of gzip>, with compression: gzip (only when smaller
//                               even counting the four bytes of "gzip").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bytes.h"

namespace ipsecsim::butane {

struct EncodedContents {
  std::string source;
  std::string compression;  // "" or "gzip"
};

EncodedContents MakeDataUrl(const Bytes& contents, bool allowCompression = true);

// The bytes a data URL stands for, gunzipped when compression is "gzip";
// nullopt and a reason in *why when it is not a well-formed data URL.
std::optional<Bytes> DecodeDataUrl(std::string_view url, const std::string& compression,
                                   std::string* why, size_t maxBytes = 16 << 20);

}  // namespace ipsecsim::butane
