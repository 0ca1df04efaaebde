#include "bundle_identity.h"

#include <cryptopp/queue.h>
#include <cryptopp/rsa.h>

#include "ber_walker.h"

namespace ipsecsim::pkcs12 {

namespace {

std::optional<CryptoPP::RSA::PrivateKey> LoadRsaKey(const Bytes& pkcs8, std::string* problem) {
  try {
    CryptoPP::ByteQueue queue;
    queue.Put(pkcs8.data(), pkcs8.size());
    queue.MessageEnd();
    CryptoPP::RSA::PrivateKey key;
    key.Load(queue);
    return key;
  } catch (const CryptoPP::Exception&) {
    *problem = "the private key is not an RSA PKCS#8 key (only RSA keys are modelled)";
    return std::nullopt;
  }
}

bool SameKey(const CryptoPP::RSA::PrivateKey& key, const CryptoPP::RSA::PublicKey& pub) {
  return key.GetModulus() == pub.GetModulus() && key.GetPublicExponent() == pub.GetPublicExponent();
}

}  // namespace

NameAttributes ReadNameAttributes(const Bytes& nameDer) {
  NameAttributes out;
  try {
    BerWalker top(nameDer, 0, nameDer.size());
    BerWalker rdns = top.Inside(top.Next(kSequence, "Name"));
    while (!rdns.AtEnd()) {
      BerWalker set = rdns.Inside(rdns.Next(kSet, "RDN"));
      while (!set.AtEnd()) {
        BerWalker ava = set.Inside(set.Next(kSequence, "AttributeTypeAndValue"));
        const std::string oid = ava.OidOf(ava.Next(kOid, "attribute type"));
        const Element value = ava.NextAny("attribute value");
        const Bytes raw = ava.OctetsOf(value);
        const std::string text(raw.begin(), raw.end());
        if (oid == "2.5.4.3") out.commonName = text;
        if (oid == "2.5.4.11") out.organizationalUnit = text;
        if (oid == "2.5.4.10") out.organization = text;
        if (oid == "0.9.2342.19200300.100.1.25") out.domainComponent = text;
      }
    }
  } catch (const FormatError&) {
    // The certificate parser already accepted this name; keep what was read.
  }
  return out;
}

BundleIdentity IdentifyBundle(const Bundle& bundle) {
  struct Parsed {
    const Bag* bag;
    pki::Certificate cert;
  };
  std::vector<Parsed> certs;
  const Bag* keyBag = nullptr;
  for (const Bag& bag : bundle.bags) {
    if (bag.kind == Bag::Kind::kPrivateKey) {
      if (!keyBag) keyBag = &bag;
      continue;
    }
    pki::ParseError error;
    auto cert = pki::ParseCertificate(bag.der, &error);
    if (!cert)
      throw BundleError(BundleError::Kind::kMalformed, bag.offset,
                        "certificate bag: " + error.Describe());
    certs.push_back({&bag, std::move(*cert)});
  }
  if (certs.empty())
    throw BundleError(BundleError::Kind::kMalformed, 0, "the bundle holds no certificate");

  BundleIdentity id;
  std::optional<CryptoPP::RSA::PrivateKey> key;
  if (keyBag) {
    id.hasKey = true;
    key = LoadRsaKey(keyBag->der, &id.keyProblem);
  }
  size_t leaf = certs.size();
  for (size_t i = 0; keyBag && i < certs.size() && leaf == certs.size(); ++i)
    if (!keyBag->localKeyId.empty() && certs[i].bag->localKeyId == keyBag->localKeyId) leaf = i;
  for (size_t i = 0; key && i < certs.size() && leaf == certs.size(); ++i)
    if (SameKey(*key, certs[i].cert.publicKey)) leaf = i;
  for (size_t i = 0; i < certs.size() && leaf == certs.size(); ++i)
    if (!certs[i].cert.IsCa()) leaf = i;
  if (leaf == certs.size()) leaf = 0;

  id.keyMatchesLeaf = key && SameKey(*key, certs[leaf].cert.publicKey);
  if (certs[leaf].bag->hasFriendlyName)
    id.friendlyName = certs[leaf].bag->friendlyName;
  else if (keyBag && keyBag->hasFriendlyName)
    id.friendlyName = keyBag->friendlyName;
  id.subject = ReadNameAttributes(certs[leaf].cert.subjectName);
  id.issuer = ReadNameAttributes(certs[leaf].cert.issuerName);
  for (size_t i = 0; i < certs.size(); ++i)
    if (i != leaf) id.others.push_back(certs[i].cert);
  id.leaf = std::move(certs[leaf].cert);
  return id;
}

}  // namespace ipsecsim::pkcs12
