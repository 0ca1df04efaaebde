// Offset-aware DER decoding on top of Crypto++'s BER decoders.
//
// Crypto++ reports a malformed encoding with a bare BERDecodeErr. DerContext
// remembers, before each step, what the step expects and the absolute byte
// offset where it starts, so a failure becomes a ParseError such as
// "byte 212: expected validity notAfter (UTCTime or GeneralizedTime): ...".
// Offsets are exact because Crypto++'s nested decoders read straight through
// to the one StringStore that DerContext owns.
#pragma once

#include <cryptopp/asn.h>
#include <cryptopp/filters.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "bytes.h"

namespace ipsecsim::pki {

struct ParseError {
  size_t offset = 0;     // absolute byte offset of the element that failed
  std::string expected;  // what the parser was looking for there
  std::string detail;    // why it was rejected
  std::string Describe() const;
};

// Thrown inside a decode body; RunDerDecoder turns it into a ParseError.
class DerFailure : public std::runtime_error {
 public:
  explicit DerFailure(ParseError error)
      : std::runtime_error(error.Describe()), error_(std::move(error)) {}
  const ParseError& Error() const { return error_; }

 private:
  ParseError error_;
};

class DerContext {
 public:
  // baseOffset: where `data` starts inside the outermost object, so that
  // errors inside an OCTET STRING-wrapped extension point into the certificate.
  DerContext(const uint8_t* data, size_t len, size_t baseOffset);
  CryptoPP::BufferedTransformation& Input() { return store_; }
  // Records what the next element should be and where it starts.
  void Expect(std::string what);
  size_t Offset() const;  // absolute offset of the next unread byte
  [[noreturn]] void Fail(std::string detail) const;
  // The bytes between two absolute offsets taken from Offset().
  Bytes Slice(size_t from, size_t to) const;
  // The tag of the next element in `in`, or fails if there is none.
  CryptoPP::byte PeekTag(CryptoPP::BufferedTransformation& in);
  bool AtEnd(CryptoPP::BufferedTransformation& in) const { return in.MaxRetrievable() == 0; }

 private:
  friend std::optional<ParseError> RunDerDecoder(const uint8_t*, size_t, size_t,
                                                 const std::function<void(DerContext&)>&);
  CryptoPP::StringStore store_;
  const uint8_t* data_;
  size_t len_;
  size_t base_;
  size_t expectedAt_;
  std::string expected_ = "DER data";
};

// A constructed element (SEQUENCE, SET, [n] EXPLICIT ...) that must use a
// definite length, as DER requires.
class DerConstructed : public CryptoPP::BERGeneralDecoder {
 public:
  DerConstructed(CryptoPP::BufferedTransformation& parent, DerContext& ctx, std::string what,
                 CryptoPP::byte tag = CryptoPP::SEQUENCE | CryptoPP::CONSTRUCTED);
  // Checks that every byte of the element was consumed.
  void Finish(DerContext& ctx, const std::string& what);
};

// Runs `body` over the bytes; any Crypto++ decode error, DerFailure or
// trailing byte becomes the returned ParseError. nullopt means success.
std::optional<ParseError> RunDerDecoder(const uint8_t* data, size_t len, size_t baseOffset,
                                        const std::function<void(DerContext&)>& body);

// Common element readers. `what` names the field for error messages.
CryptoPP::OID ReadOid(CryptoPP::BufferedTransformation& in, DerContext& ctx,
                      const std::string& what);
// A directory string (UTF8String, PrintableString, IA5String or TeletexString).
std::string ReadDirectoryString(CryptoPP::BufferedTransformation& in, DerContext& ctx,
                                const std::string& what);
// UTCTime or GeneralizedTime, as UNIX seconds.
int64_t ReadTime(CryptoPP::BufferedTransformation& in, DerContext& ctx, const std::string& what);
// A non-negative INTEGER of any size, as big-endian bytes without sign byte.
Bytes ReadUnsignedInteger(CryptoPP::BufferedTransformation& in, DerContext& ctx,
                          const std::string& what);
bool ReadBoolean(CryptoPP::BufferedTransformation& in, DerContext& ctx, const std::string& what);
Bytes ReadOctetString(CryptoPP::BufferedTransformation& in, DerContext& ctx,
                      const std::string& what);
// A BIT STRING; fails unless the number of unused bits is zero when
// `wholeBytes` is true.
Bytes ReadBitString(CryptoPP::BufferedTransformation& in, DerContext& ctx, const std::string& what,
                    bool wholeBytes, unsigned* unusedBits = nullptr);
// Copies the next complete element (tag, length and content) without
// interpreting it.
Bytes ReadRawElement(CryptoPP::BufferedTransformation& in, DerContext& ctx,
                     const std::string& what);
// Skips the next element whatever its type.
void SkipElement(CryptoPP::BufferedTransformation& in, DerContext& ctx, const std::string& what);

}  // namespace ipsecsim::pki
