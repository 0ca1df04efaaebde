#include "x509_extensions.h"

#include <cryptopp/queue.h>

#include <sstream>

#include "x509_encoding.h"
#include "x509_oids.h"

namespace ipsecsim::pki {

namespace {

using CryptoPP::BufferedTransformation;
using CryptoPP::byte;
using CryptoPP::DERSequenceEncoder;

constexpr byte kDnsNameTag = 0x82;  // GeneralName dNSName [2] IMPLICIT IA5String
constexpr byte kKeyIdTag = 0x80;    // AuthorityKeyIdentifier keyIdentifier [0]

void PutExtension(BufferedTransformation& out, const CryptoPP::OID& id, bool critical,
                  const Bytes& value) {
  DERSequenceEncoder ext(out);
  id.DEREncode(ext);
  if (critical) {
    const byte trueValue[] = {CryptoPP::BOOLEAN, 0x01, 0xFF};
    ext.Put(trueValue, sizeof(trueValue));
  }
  CryptoPP::DEREncodeOctetString(ext, value.data(), value.size());
  ext.MessageEnd();
}

Bytes BasicConstraintsValue(bool isCa) {
  CryptoPP::ByteQueue q;
  DERSequenceEncoder seq(q);
  if (isCa) {  // cA DEFAULT FALSE: DER omits the default
    const byte trueValue[] = {CryptoPP::BOOLEAN, 0x01, 0xFF};
    seq.Put(trueValue, sizeof(trueValue));
  }
  seq.MessageEnd();
  return TakeAll(q);
}

Bytes KeyUsageValue(uint16_t bits) {
  // Bit n of the mask is bit n of the BIT STRING, counted from the first
  // byte's most significant bit; DER drops trailing zero bits.
  int highest = -1;
  for (int i = 0; i < 16; ++i) {
    if (bits & (1u << i)) highest = i;
  }
  const size_t nbytes = highest < 0 ? 0 : size_t(highest / 8 + 1);
  Bytes content(nbytes, 0);
  for (int i = 0; i <= highest; ++i) {
    if (bits & (1u << i)) content[size_t(i / 8)] |= byte(0x80 >> (i % 8));
  }
  const unsigned unused = highest < 0 ? 0 : unsigned(7 - highest % 8);
  CryptoPP::ByteQueue q;
  CryptoPP::DEREncodeBitString(q, content.data(), content.size(), unused);
  return TakeAll(q);
}

Bytes ExtendedKeyUsageValue(const X509Extensions& ext) {
  CryptoPP::ByteQueue q;
  DERSequenceEncoder seq(q);
  if (ext.serverAuth) oid::ServerAuth().DEREncode(seq);
  if (ext.clientAuth) oid::ClientAuth().DEREncode(seq);
  seq.MessageEnd();
  return TakeAll(q);
}

Bytes SubjectAltNameValue(const std::vector<std::string>& dnsNames) {
  CryptoPP::ByteQueue q;
  DERSequenceEncoder seq(q);
  for (const auto& name : dnsNames) CryptoPP::DEREncodeTextString(seq, name, kDnsNameTag);
  seq.MessageEnd();
  return TakeAll(q);
}

Bytes SubjectKeyIdValue(const Bytes& id) {
  CryptoPP::ByteQueue q;
  CryptoPP::DEREncodeOctetString(q, id.data(), id.size());
  return TakeAll(q);
}

Bytes AuthorityKeyIdValue(const Bytes& id) {
  CryptoPP::ByteQueue q;
  DERSequenceEncoder seq(q);
  CryptoPP::DEREncodeTextString(seq, id.data(), id.size(), kKeyIdTag);
  seq.MessageEnd();
  return TakeAll(q);
}

// Parses an extension's OCTET STRING content; offsets stay absolute.
void ParseValue(const Bytes& value, size_t valueOffset, const std::function<void(DerContext&)>& f) {
  if (auto error = RunDerDecoder(value.data(), value.size(), valueOffset, f)) {
    throw DerFailure(*error);
  }
}

void ReadBasicConstraints(DerContext& c, X509Extensions* out) {
  DerConstructed seq(c.Input(), c, "BasicConstraints SEQUENCE");
  out->hasBasicConstraints = true;
  if (!seq.EndReached() && c.PeekTag(seq) == CryptoPP::BOOLEAN) {
    out->isCa = ReadBoolean(seq, c, "basicConstraints cA");
  }
  if (!seq.EndReached()) ReadUnsignedInteger(seq, c, "basicConstraints pathLenConstraint");
  seq.Finish(c, "BasicConstraints");
}

void ReadKeyUsage(DerContext& c, X509Extensions* out) {
  unsigned unused = 0;
  const Bytes bits = ReadBitString(c.Input(), c, "keyUsage", false, &unused);
  uint16_t mask = 0;
  for (size_t i = 0; i < bits.size() * 8 && i < 16; ++i) {
    if (bits[i / 8] & (0x80 >> (i % 8))) mask |= uint16_t(1u << i);
  }
  out->keyUsage = mask;
}

void ReadExtendedKeyUsage(DerContext& c, X509Extensions* out) {
  DerConstructed seq(c.Input(), c, "ExtKeyUsageSyntax SEQUENCE");
  while (!seq.EndReached()) {
    const CryptoPP::OID purpose = ReadOid(seq, c, "extendedKeyUsage purpose");
    out->serverAuth |= purpose == oid::ServerAuth();
    out->clientAuth |= purpose == oid::ClientAuth();
  }
  seq.Finish(c, "ExtKeyUsageSyntax");
}

void ReadSubjectAltName(DerContext& c, X509Extensions* out) {
  DerConstructed names(c.Input(), c, "GeneralNames SEQUENCE");
  while (!names.EndReached()) {
    c.Expect("GeneralName");
    if (c.PeekTag(names) == kDnsNameTag) {
      c.Expect("subjectAltName dNSName");
      std::string dns;
      CryptoPP::BERDecodeTextString(names, dns, kDnsNameTag);
      out->dnsNames.push_back(std::move(dns));
    } else {
      SkipElement(names, c, "GeneralName");
    }
  }
  names.Finish(c, "GeneralNames");
}

void ReadAuthorityKeyId(DerContext& c, X509Extensions* out) {
  DerConstructed seq(c.Input(), c, "AuthorityKeyIdentifier SEQUENCE");
  while (!seq.EndReached()) {
    c.Expect("AuthorityKeyIdentifier field");
    if (c.PeekTag(seq) == kKeyIdTag) {
      c.Expect("authorityKeyIdentifier keyIdentifier");
      CryptoPP::SecByteBlock id;
      CryptoPP::BERDecodeTextString(seq, id, kKeyIdTag);
      out->authorityKeyId.assign(id.begin(), id.end());
    } else {
      SkipElement(seq, c, "AuthorityKeyIdentifier field");
    }
  }
  seq.Finish(c, "AuthorityKeyIdentifier");
}

}  // namespace

std::string OidToString(const CryptoPP::OID& id) {
  std::ostringstream s;
  const auto& values = id.GetValues();
  for (size_t i = 0; i < values.size(); ++i) s << (i ? "." : "") << values[i];
  return s.str();
}

Bytes EncodeExtensions(const X509Extensions& ext) {
  CryptoPP::ByteQueue q;
  DERSequenceEncoder seq(q);
  if (ext.hasBasicConstraints) {
    PutExtension(seq, oid::BasicConstraints(), true, BasicConstraintsValue(ext.isCa));
  }
  if (ext.keyUsage) PutExtension(seq, oid::KeyUsage(), true, KeyUsageValue(*ext.keyUsage));
  if (ext.serverAuth || ext.clientAuth) {
    PutExtension(seq, oid::ExtendedKeyUsage(), false, ExtendedKeyUsageValue(ext));
  }
  if (!ext.dnsNames.empty()) {
    PutExtension(seq, oid::SubjectAltName(), false, SubjectAltNameValue(ext.dnsNames));
  }
  if (!ext.subjectKeyId.empty()) {
    PutExtension(seq, oid::SubjectKeyIdentifier(), false, SubjectKeyIdValue(ext.subjectKeyId));
  }
  if (!ext.authorityKeyId.empty()) {
    PutExtension(seq, oid::AuthorityKeyIdentifier(), false,
                 AuthorityKeyIdValue(ext.authorityKeyId));
  }
  seq.MessageEnd();
  return TakeAll(q);
}

void ReadExtensions(BufferedTransformation& in, DerContext& ctx, X509Extensions* out) {
  DerConstructed list(in, ctx, "Extensions SEQUENCE");
  std::vector<CryptoPP::OID> seen;
  while (!list.EndReached()) {
    DerConstructed ext(list, ctx, "Extension SEQUENCE");
    const CryptoPP::OID id = ReadOid(ext, ctx, "extnID");
    for (const auto& previous : seen) {
      if (previous == id) ctx.Fail("extension " + OidToString(id) + " appears twice");
    }
    seen.push_back(id);
    bool critical = false;
    ctx.Expect("critical flag or extnValue");
    if (ctx.PeekTag(ext) == CryptoPP::BOOLEAN) critical = ReadBoolean(ext, ctx, "critical");
    const Bytes value = ReadOctetString(ext, ctx, "extnValue");
    const size_t valueOffset = ctx.Offset() - value.size();
    ext.Finish(ctx, "Extension");

    if (id == oid::BasicConstraints()) {
      ParseValue(value, valueOffset, [&](DerContext& c) { ReadBasicConstraints(c, out); });
    } else if (id == oid::KeyUsage()) {
      ParseValue(value, valueOffset, [&](DerContext& c) { ReadKeyUsage(c, out); });
    } else if (id == oid::ExtendedKeyUsage()) {
      ParseValue(value, valueOffset, [&](DerContext& c) { ReadExtendedKeyUsage(c, out); });
    } else if (id == oid::SubjectAltName()) {
      ParseValue(value, valueOffset, [&](DerContext& c) { ReadSubjectAltName(c, out); });
    } else if (id == oid::SubjectKeyIdentifier()) {
      ParseValue(value, valueOffset, [&](DerContext& c) {
        out->subjectKeyId = ReadOctetString(c.Input(), c, "subjectKeyIdentifier");
      });
    } else if (id == oid::AuthorityKeyIdentifier()) {
      ParseValue(value, valueOffset, [&](DerContext& c) { ReadAuthorityKeyId(c, out); });
    } else if (critical) {
      out->unknownCritical.push_back(OidToString(id));
    }
  }
  list.Finish(ctx, "Extensions");
}

}  // namespace ipsecsim::pki
