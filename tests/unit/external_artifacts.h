// Certificates and PKCS#12 bundles made at test time by the real tools
// (openssl, NSS's certutil and pk12util), for the external-endpoint readers.
#pragma once

#include <fstream>
#include <iterator>
#include <string>

#include "bytes.h"
#include "run_command.h"

namespace ipsecsim::test {

inline bool HaveTool(const std::string& name) {
  return RunCommand("command -v " + name + " >/dev/null 2>&1").exitCode == 0;
}

inline Bytes ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A CA (DIR/ca.pem, ca.key) and a leaf signed by it (DIR/NAME.pem, NAME.key).
// `issuerSubject` and `leafSubject` are openssl -subj strings.
struct TestPki {
  std::string dir;
  std::string leaf = "leaf";

  bool Make(const std::string& issuerSubject, const std::string& leafSubject,
            const std::string& days = "3650") const {
    const std::string cnf = dir + "/x509.cnf";
    WriteText(cnf,
              "[req]\ndistinguished_name = dn\n[dn]\n"
              "[v3_ca]\nbasicConstraints = critical, CA:TRUE\n"
              "keyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n"
              "[v3_leaf]\nbasicConstraints = critical, CA:FALSE\n"
              "keyUsage = critical, digitalSignature, keyEncipherment\n"
              "subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n");
    const std::string cd = "cd " + dir + " && ";
    return RunCommand(cd +
                      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem "
                      "-subj '" +
                      issuerSubject +
                      "' -config x509.cnf -extensions v3_ca "
                      "-set_serial 1 -days " +
                      days + " 2>&1")
                   .exitCode == 0 &&
           RunCommand(cd + "openssl req -new -newkey rsa:2048 -nodes -keyout " + leaf +
                      ".key -out " + leaf + ".csr -subj '" + leafSubject +
                      "' -config x509.cnf 2>&1")
                   .exitCode == 0 &&
           RunCommand(cd + "openssl x509 -req -in " + leaf +
                      ".csr -CA ca.pem -CAkey ca.key "
                      "-set_serial 2 -days " +
                      days +
                      " -extfile x509.cnf -extensions "
                      "v3_leaf -out " +
                      leaf + ".pem 2>&1")
                   .exitCode == 0;
  }

  // openssl pkcs12 -export; `extra` e.g. "-legacy", "-name left_server".
  bool Export(const std::string& out, const std::string& password, const std::string& extra) const {
    return RunCommand("cd " + dir + " && openssl pkcs12 -export -in " + leaf + ".pem -inkey " +
                      leaf + ".key -certfile ca.pem -passout 'pass:" + password + "' " + extra +
                      " -out " + out + " 2>&1")
               .exitCode == 0;
  }
};

}  // namespace ipsecsim::test
