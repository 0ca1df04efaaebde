#include "cert_files.h"

#include <filesystem>
#include <fstream>

#include "pem.h"
#include "rsa_keys.h"

namespace ipsecsim::pki {

namespace {

bool WriteText(const std::filesystem::path& path, const std::string& text, std::string* error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.good()) {
    if (error) *error = "cannot write " + path.string();
    return false;
  }
  return true;
}

}  // namespace

bool WriteCertFiles(const std::string& dir, const OperatorSigner& signer,
                    const std::vector<NodeEnrollment>& nodes, std::string* error) {
  const std::filesystem::path certs = std::filesystem::path(dir) / "certs";
  std::error_code ec;
  std::filesystem::create_directories(certs, ec);
  if (ec) {
    if (error) *error = "cannot create " + certs.string() + ": " + ec.message();
    return false;
  }
  if (!signer.HasCa()) {
    if (error) *error = "the signer has no CA yet";
    return false;
  }
  std::string bundle;
  for (const auto& ca : signer.Generations()) {
    bundle.insert(0, ca.cert.Pem());
    if (ca.generation == signer.Current().generation) continue;
    if (!WriteText(certs / ("ca-" + std::to_string(ca.generation) + ".pem"), ca.cert.Pem(),
                   error)) {
      return false;
    }
  }
  if (!WriteText(certs / "ca.pem", signer.Current().cert.Pem(), error) ||
      !WriteText(certs / "ca-bundle.pem", bundle, error)) {
    return false;
  }
  for (const auto& node : nodes) {
    if (!node.Cert()) continue;
    const std::string& name = node.NodeName();
    if (!WriteText(certs / (name + ".pem"), node.Cert()->Pem(), error) ||
        !WriteText(certs / (name + ".csr.pem"), PemEncode(node.CsrDer(), "CERTIFICATE REQUEST"),
                   error) ||
        !WriteText(certs / (name + ".key.pem"),
                   PemEncode(EncodePrivateKeyInfo(node.Key()), "PRIVATE KEY"), error)) {
      return false;
    }
  }
  return true;
}

}  // namespace ipsecsim::pki
