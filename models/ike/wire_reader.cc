#include "wire_reader.h"

namespace ipsecsim::ike {

std::string ParseError::ToString() const {
  return "byte " + std::to_string(offset) + ": expected " + expected + ": " + detail;
}

bool WireReader::Need(const char* expected, size_t n, ParseError* error) {
  if (Remaining() >= n) return true;
  *error = ErrorHere(expected, "truncated: needs " + std::to_string(n) + " bytes, " +
                                   std::to_string(Remaining()) + " left");
  return false;
}

bool WireReader::U8(const char* expected, uint8_t* out, ParseError* error) {
  if (!Need(expected, 1, error)) return false;
  *out = data_[pos_++];
  return true;
}

bool WireReader::U16(const char* expected, uint16_t* out, ParseError* error) {
  if (!Need(expected, 2, error)) return false;
  *out = uint16_t(data_[pos_] << 8 | data_[pos_ + 1]);
  pos_ += 2;
  return true;
}

bool WireReader::U32(const char* expected, uint32_t* out, ParseError* error) {
  if (!Need(expected, 4, error)) return false;
  *out = GetU32(data_ + pos_);
  pos_ += 4;
  return true;
}

bool WireReader::U64(const char* expected, uint64_t* out, ParseError* error) {
  if (!Need(expected, 8, error)) return false;
  *out = GetU64(data_ + pos_);
  pos_ += 8;
  return true;
}

bool WireReader::Take(const char* expected, size_t n, Bytes* out, ParseError* error) {
  if (!Need(expected, n, error)) return false;
  out->assign(data_ + pos_, data_ + pos_ + n);
  pos_ += n;
  return true;
}

bool WireReader::Sub(const char* expected, size_t n, WireReader* out, ParseError* error) {
  if (!Need(expected, n, error)) return false;
  *out = WireReader(data_ + pos_, n, base_ + pos_);
  pos_ += n;
  return true;
}

}  // namespace ipsecsim::ike
