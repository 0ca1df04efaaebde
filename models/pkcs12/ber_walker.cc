#include "ber_walker.h"

#include <cstdio>

namespace ipsecsim::pkcs12 {

namespace {

std::string TagName(uint8_t tag) {
  switch (tag) {
    case kSequence:
      return "SEQUENCE";
    case kSet:
      return "SET";
    case kInteger:
      return "INTEGER";
    case kOctetString:
      return "OCTET STRING";
    case kOid:
      return "OBJECT IDENTIFIER";
    case kBmpString:
      return "BMPString";
    case kContext0:
      return "[0]";
    default: {
      char buf[8];
      std::snprintf(buf, sizeof buf, "0x%02x", tag);
      return std::string("tag ") + buf;
    }
  }
}

}  // namespace

uint8_t BerWalker::PeekTag() const {
  if (AtEnd()) throw FormatError(base_ + pos_, "unexpected end of data");
  return data_[pos_];
}

Element BerWalker::NextAny(const std::string& what) {
  Element e;
  e.offset = base_ + pos_;
  if (pos_ >= end_) throw FormatError(e.offset, "expected " + what + ", found the end of the data");
  e.tag = data_[pos_];
  if ((e.tag & 0x1f) == 0x1f) throw FormatError(e.offset, what + ": multi-byte tags not supported");
  size_t p = pos_ + 1;
  if (p >= end_) throw FormatError(e.offset, what + ": truncated (no length)");
  const uint8_t first = data_[p++];
  size_t length = 0;
  if (first < 0x80) {
    length = first;
  } else if (first == 0x80) {
    // BER indefinite length, as NSS writes: the contents run to the matching
    // end-of-contents octets (00 00).
    if (!(e.tag & 0x20))
      throw FormatError(e.offset + 1, what + ": indefinite length on a primitive element");
    const size_t eoc = FindEndOfContents(p, depth_, what);
    e.body = base_ + p;
    e.length = eoc - p;
    pos_ = eoc + 2;
    return e;
  } else {
    const unsigned n = first & 0x7f;
    if (n > 4)
      throw FormatError(e.offset + 1, what + ": length of " + std::to_string(n) + " bytes");
    if (p + n > end_) throw FormatError(e.offset + 1, what + ": truncated length");
    for (unsigned i = 0; i < n; ++i) length = length << 8 | data_[p++];
  }
  if (length > end_ - p)
    throw FormatError(e.offset, what + ": length " + std::to_string(length) +
                                    " runs past the end (" + std::to_string(end_ - p) +
                                    " bytes left)");
  e.body = base_ + p;
  e.length = length;
  pos_ = p + length;
  return e;
}

size_t BerWalker::FindEndOfContents(size_t p, int depth, const std::string& what) const {
  if (depth > 32) throw FormatError(base_ + p, what + ": BER nested too deeply");
  while (true) {
    if (p + 2 > end_)
      throw FormatError(base_ + p,
                        what + ": truncated (no end-of-contents for an indefinite length)");
    if (data_[p] == 0 && data_[p + 1] == 0) return p;
    BerWalker inner(data_, p, end_, base_);
    inner.depth_ = depth + 1;
    inner.NextAny(what + " element");
    p = inner.pos_;
  }
}

Element BerWalker::Next(uint8_t tag, const std::string& what) {
  const size_t at = base_ + pos_;
  if (pos_ < end_ && data_[pos_] != tag &&
      !(tag == kOctetString && data_[pos_] == (kOctetString | 0x20)))
    throw FormatError(
        at, "expected " + what + " (" + TagName(tag) + "), found " + TagName(data_[pos_]));
  return NextAny(what);
}

void BerWalker::ExpectEnd(const std::string& what) const {
  if (!AtEnd())
    throw FormatError(base_ + pos_,
                      std::to_string(end_ - pos_) + " unexpected bytes after " + what);
}

Bytes BerWalker::OctetsOf(const Element& e) const {
  if (!e.Constructed())
    return Bytes(data_.begin() + static_cast<long>(e.body - base_),
                 data_.begin() + static_cast<long>(e.End() - base_));
  Bytes out;
  BerWalker inner(data_, e, base_);
  while (!inner.AtEnd()) {
    const Element part = inner.Next(kOctetString, "OCTET STRING segment");
    const Bytes piece = inner.OctetsOf(part);
    out.insert(out.end(), piece.begin(), piece.end());
  }
  return out;
}

std::string BerWalker::OidOf(const Element& e) const {
  if (e.length == 0) throw FormatError(e.offset, "empty OBJECT IDENTIFIER");
  std::string out;
  uint64_t v = 0;
  bool first = true;
  for (size_t i = 0; i < e.length; ++i) {
    const uint8_t b = data_[e.body - base_ + i];
    if (v > (UINT64_MAX >> 7)) throw FormatError(e.offset, "OBJECT IDENTIFIER arc too large");
    v = v << 7 | (b & 0x7f);
    if (b & 0x80) continue;
    if (first) {
      const uint64_t a = v < 80 ? v / 40 : 2;
      out = std::to_string(a) + "." + std::to_string(v - a * 40);
      first = false;
    } else {
      out += "." + std::to_string(v);
    }
    v = 0;
  }
  if (data_[e.End() - base_ - 1] & 0x80) throw FormatError(e.offset, "truncated OBJECT IDENTIFIER");
  return out;
}

uint64_t BerWalker::SmallIntegerOf(const Element& e, const std::string& what) const {
  if (e.length == 0 || e.length > 4 || (data_[e.body - base_] & 0x80))
    throw FormatError(e.offset, what + ": expected a small non-negative INTEGER");
  uint64_t v = 0;
  for (size_t i = 0; i < e.length; ++i) v = v << 8 | data_[e.body - base_ + i];
  return v;
}

}  // namespace ipsecsim::pkcs12
