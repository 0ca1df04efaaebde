#include "der_reader.h"

#include <cryptopp/integer.h>

#include "x509_time.h"

namespace ipsecsim::pki {

using CryptoPP::BufferedTransformation;
using CryptoPP::byte;

std::string ParseError::Describe() const {
  std::string s = "byte " + std::to_string(offset) + ": expected " + expected;
  if (!detail.empty()) s += ": " + detail;
  return s;
}

DerContext::DerContext(const uint8_t* data, size_t len, size_t baseOffset)
    : store_(data, len), data_(data), len_(len), base_(baseOffset), expectedAt_(baseOffset) {}

void DerContext::Expect(std::string what) {
  expected_ = std::move(what);
  expectedAt_ = Offset();
}

size_t DerContext::Offset() const {
  return base_ + len_ - static_cast<size_t>(store_.MaxRetrievable());
}

void DerContext::Fail(std::string detail) const {
  throw DerFailure(ParseError{expectedAt_, expected_, std::move(detail)});
}

Bytes DerContext::Slice(size_t from, size_t to) const {
  if (from < base_ || to < from || to - base_ > len_) Fail("internal slice out of range");
  return Bytes(data_ + (from - base_), data_ + (to - base_));
}

byte DerContext::PeekTag(BufferedTransformation& in) {
  byte tag = 0;
  if (in.Peek(tag) == 0) Fail("end of data");
  return tag;
}

DerConstructed::DerConstructed(BufferedTransformation& parent, DerContext& ctx, std::string what,
                               byte tag)
    // Expect() must run before the base class reads the tag, hence the comma.
    : BERGeneralDecoder((ctx.Expect(std::move(what)), parent), tag) {
  if (!IsDefiniteLength()) ctx.Fail("indefinite length is not DER");
  if (MaxRetrievable() < RemainingLength()) {
    ctx.Fail("element is truncated: declares " + std::to_string(RemainingLength()) +
             " content bytes, " + std::to_string(MaxRetrievable()) + " present");
  }
}

void DerConstructed::Finish(DerContext& ctx, const std::string& what) {
  ctx.Expect("end of " + what);
  if (!EndReached()) ctx.Fail("unexpected extra bytes");
  MessageEnd();
}

std::optional<ParseError> RunDerDecoder(const uint8_t* data, size_t len, size_t baseOffset,
                                        const std::function<void(DerContext&)>& body) {
  DerContext ctx(data, len, baseOffset);
  try {
    body(ctx);
    ctx.Expect("end of data");
    if (!ctx.AtEnd(ctx.Input())) ctx.Fail("trailing bytes");
  } catch (const DerFailure& failure) {
    return failure.Error();
  } catch (const CryptoPP::Exception& e) {
    return ParseError{ctx.expectedAt_, ctx.expected_, e.what()};
  } catch (const std::exception& e) {
    return ParseError{ctx.expectedAt_, ctx.expected_, e.what()};
  }
  return std::nullopt;
}

CryptoPP::OID ReadOid(BufferedTransformation& in, DerContext& ctx, const std::string& what) {
  ctx.Expect(what + " (OBJECT IDENTIFIER)");
  CryptoPP::OID oid;
  oid.BERDecode(in);
  return oid;
}

std::string ReadDirectoryString(BufferedTransformation& in, DerContext& ctx,
                                const std::string& what) {
  ctx.Expect(what + " (directory string)");
  const byte tag = ctx.PeekTag(in);
  if (tag != CryptoPP::UTF8_STRING && tag != CryptoPP::PRINTABLE_STRING &&
      tag != CryptoPP::IA5_STRING && tag != CryptoPP::T61_STRING) {
    ctx.Fail("unsupported string tag " + ToHex(&tag, 1));
  }
  std::string s;
  CryptoPP::BERDecodeTextString(in, s, tag);
  return s;
}

int64_t ReadTime(BufferedTransformation& in, DerContext& ctx, const std::string& what) {
  ctx.Expect(what + " (UTCTime or GeneralizedTime)");
  const byte tag = ctx.PeekTag(in);
  if (tag != CryptoPP::UTC_TIME && tag != CryptoPP::GENERALIZED_TIME) {
    ctx.Fail("tag " + ToHex(&tag, 1) + " is not a time");
  }
  CryptoPP::SecByteBlock raw;
  CryptoPP::BERDecodeDate(in, raw, tag);
  const std::string_view text(reinterpret_cast<const char*>(raw.data()), raw.size());
  auto t = tag == CryptoPP::UTC_TIME ? ParseUtcTime(text) : ParseGeneralizedTime(text);
  if (!t) ctx.Fail("bad time value '" + std::string(text) + "'");
  return *t;
}

Bytes ReadUnsignedInteger(BufferedTransformation& in, DerContext& ctx, const std::string& what) {
  ctx.Expect(what + " (INTEGER)");
  CryptoPP::Integer value;
  value.BERDecode(in);
  if (value.IsNegative()) ctx.Fail("negative value");
  Bytes out(value.MinEncodedSize());
  value.Encode(out.data(), out.size());
  return out;
}

bool ReadBoolean(BufferedTransformation& in, DerContext& ctx, const std::string& what) {
  ctx.Expect(what + " (BOOLEAN)");
  CryptoPP::BERGeneralDecoder element(in, CryptoPP::BOOLEAN);
  if (!element.IsDefiniteLength() || element.RemainingLength() != 1) ctx.Fail("length must be 1");
  byte v = 0;
  element.Get(v);
  element.MessageEnd();
  if (v != 0x00 && v != 0xFF) ctx.Fail("DER booleans are 0x00 or 0xFF");
  return v == 0xFF;
}

Bytes ReadOctetString(BufferedTransformation& in, DerContext& ctx, const std::string& what) {
  ctx.Expect(what + " (OCTET STRING)");
  CryptoPP::SecByteBlock block;
  CryptoPP::BERDecodeOctetString(in, block);
  return Bytes(block.begin(), block.end());
}

Bytes ReadBitString(BufferedTransformation& in, DerContext& ctx, const std::string& what,
                    bool wholeBytes, unsigned* unusedBits) {
  ctx.Expect(what + " (BIT STRING)");
  CryptoPP::SecByteBlock block;
  unsigned unused = 0;
  CryptoPP::BERDecodeBitString(in, block, unused);
  if (unused > 7 || (wholeBytes && unused != 0)) ctx.Fail("bad unused-bit count");
  if (unusedBits) *unusedBits = unused;
  return Bytes(block.begin(), block.end());
}

Bytes ReadRawElement(BufferedTransformation& in, DerContext& ctx, const std::string& what) {
  ctx.Expect(what);
  const size_t start = ctx.Offset();
  SkipElement(in, ctx, what);
  return ctx.Slice(start, ctx.Offset());
}

void SkipElement(BufferedTransformation& in, DerContext& ctx, const std::string& what) {
  ctx.Expect(what);
  const byte tag = ctx.PeekTag(in);
  if ((tag & 0x1F) == 0x1F) ctx.Fail("multi-byte tags are not used in X.509");
  CryptoPP::BERGeneralDecoder element(in, tag);
  if (!element.IsDefiniteLength()) ctx.Fail("indefinite length is not DER");
  if (element.MaxRetrievable() < element.RemainingLength()) ctx.Fail("element is truncated");
  element.SkipAll();
  element.MessageEnd();
}

}  // namespace ipsecsim::pki
