// A bounds-checked walk over BER/DER elements that keeps absolute byte
// offsets, so an error in a PKCS#12 file says where it is. Definite lengths,
// and BER indefinite lengths on constructed elements (NSS writes them); a
// constructed OCTET STRING is reassembled by OctetsOf().
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "bytes.h"

namespace ipsecsim::pkcs12 {

class FormatError : public std::runtime_error {
 public:
  FormatError(size_t offset, const std::string& message)
      : std::runtime_error("byte " + std::to_string(offset) + ": " + message), offset_(offset) {}
  size_t Offset() const { return offset_; }

 private:
  size_t offset_;
};

struct Element {
  uint8_t tag = 0;    // identifier octet (class, constructed bit, number < 31)
  size_t offset = 0;  // absolute offset of the identifier octet
  size_t body = 0;    // absolute offset of the contents
  size_t length = 0;  // contents length
  bool Constructed() const { return tag & 0x20; }
  size_t End() const { return body + length; }
};

// Reads elements from [begin, end) of `data`; `base` is added to every offset
// reported, for data that is itself the contents of an outer file.
class BerWalker {
 public:
  BerWalker(const Bytes& data, size_t begin, size_t end, size_t base = 0)
      : data_(data), pos_(begin), end_(end), base_(base) {}
  BerWalker(const Bytes& data, const Element& parent, size_t base = 0)
      : BerWalker(data, parent.body - base, parent.End() - base, base) {}

  // A walker over the contents of `e`, an element this walker read.
  BerWalker Inside(const Element& e) const { return BerWalker(data_, e, base_); }

  bool AtEnd() const { return pos_ >= end_; }
  uint8_t PeekTag() const;
  // The next element; `tag` must match it, `what` names it in errors.
  Element Next(uint8_t tag, const std::string& what);
  Element NextAny(const std::string& what);
  void ExpectEnd(const std::string& what) const;

  // Contents of a primitive element, or of a BER constructed OCTET STRING.
  Bytes OctetsOf(const Element& e) const;
  // The whole element, identifier and length octets included.
  Bytes RawOf(const Element& e) const {
    return Bytes(data_.begin() + static_cast<long>(e.offset - base_),
                 data_.begin() + static_cast<long>(e.End() - base_));
  }
  std::string OidOf(const Element& e) const;  // dotted
  uint64_t SmallIntegerOf(const Element& e, const std::string& what) const;
  size_t Base() const { return base_; }

 private:
  // Where the end-of-contents octets of an indefinite-length element whose
  // contents start at p lie.
  size_t FindEndOfContents(size_t p, int depth, const std::string& what) const;

  const Bytes& data_;
  size_t pos_;
  size_t end_;
  size_t base_;
  int depth_ = 0;  // indefinite-length nesting, bounded
};

constexpr uint8_t kSequence = 0x30;
constexpr uint8_t kSet = 0x31;
constexpr uint8_t kInteger = 0x02;
constexpr uint8_t kOctetString = 0x04;
constexpr uint8_t kOid = 0x06;
constexpr uint8_t kBmpString = 0x1e;
constexpr uint8_t kContext0 = 0xa0;  // [0] EXPLICIT / constructed

}  // namespace ipsecsim::pkcs12
