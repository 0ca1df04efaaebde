// libFuzzer target for ipsecsim's X.509 and PKCS#10 DER parsers: any input
// must yield a certificate/CSR or a ParseError inside the input, never a
// crash, and whatever parses must survive chain validation and re-encoding
// to PEM.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chain_validation.h"
#include "csr.h"
#include "operator_signer.h"
#include "pem.h"

namespace {

const std::vector<ipsecsim::pki::Certificate>& Anchors() {
  static const std::vector<ipsecsim::pki::Certificate> anchors = [] {
    ipsecsim::pki::OperatorSigner signer(ipsecsim::pki::SignerConfig{}, nullptr);
    signer.CreateCa(1767225600);
    return signer.Bundle();
  }();
  return anchors;
}

void CheckError(const ipsecsim::pki::ParseError& error, size_t size) {
  if (error.offset > size || error.expected.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ipsecsim::pki;
  ParseError error;
  if (auto cert = ParseCertificate(data, size, &error)) {
    ValidateChain(*cert, {*cert}, Anchors(), cert->notBefore, "@" + cert->subjectCn);
    CertificateMatchesId(*cert, cert->subjectCn);
    PemDecodeAll(cert->Pem(), "CERTIFICATE");
  } else {
    CheckError(error, size);
  }
  if (auto csr = ParseCsr(data, size, &error)) {
    csr->SelfSignatureValid();
  } else {
    CheckError(error, size);
  }
  PemDecodeAll(std::string_view(reinterpret_cast<const char*>(data), size), "CERTIFICATE");
  return 0;
}
