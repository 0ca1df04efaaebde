// Bounds-checked reading of big-endian fields. Every read names what it
// expects, so that a short or bad field becomes a ParseError with the
// absolute message offset instead of an out-of-bounds access.
#pragma once

#include <cstdint>
#include <string>

#include "bytes.h"
#include "parse_error.h"

namespace ipsecsim::ike {

class WireReader {
 public:
  // `base` is the offset of data[0] within the whole IKE message.
  WireReader(const uint8_t* data, size_t len, size_t base) : data_(data), len_(len), base_(base) {}

  size_t Offset() const { return base_ + pos_; }
  size_t Remaining() const { return len_ - pos_; }
  bool AtEnd() const { return pos_ == len_; }

  // Each returns false and fills *error when fewer bytes remain than needed.
  bool U8(const char* expected, uint8_t* out, ParseError* error);
  bool U16(const char* expected, uint16_t* out, ParseError* error);
  bool U32(const char* expected, uint32_t* out, ParseError* error);
  bool U64(const char* expected, uint64_t* out, ParseError* error);
  bool Take(const char* expected, size_t n, Bytes* out, ParseError* error);
  // A sub-reader over the next n bytes, which it consumes.
  bool Sub(const char* expected, size_t n, WireReader* out, ParseError* error);

  ParseError ErrorHere(std::string expected, std::string detail) const {
    return ParseError{Offset(), std::move(expected), std::move(detail)};
  }

 private:
  bool Need(const char* expected, size_t n, ParseError* error);

  const uint8_t* data_;
  size_t len_;
  size_t base_;
  size_t pos_ = 0;
};

class WireWriter {
 public:
  void U8(uint8_t v) { out_.push_back(v); }
  void U16(uint16_t v) {
    out_.push_back(uint8_t(v >> 8));
    out_.push_back(uint8_t(v));
  }
  void U32(uint32_t v) {
    U16(uint16_t(v >> 16));
    U16(uint16_t(v));
  }
  void U64(uint64_t v) {
    U32(uint32_t(v >> 32));
    U32(uint32_t(v));
  }
  void Append(const Bytes& b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void Append(const uint8_t* data, size_t n) { out_.insert(out_.end(), data, data + n); }
  void Zeros(size_t n) { out_.insert(out_.end(), n, 0); }
  size_t Size() const { return out_.size(); }
  // Overwrites a 16-bit length field written earlier at `at`.
  void PatchU16(size_t at, uint16_t v) {
    out_[at] = uint8_t(v >> 8);
    out_[at + 1] = uint8_t(v);
  }
  Bytes& Buffer() { return out_; }

 private:
  Bytes out_;
};

}  // namespace ipsecsim::ike
