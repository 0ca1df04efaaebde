// libFuzzer target for what a run's pluto loads from a Libreswan file
// (harness/external/pluto_connections): any input must load, or be refused
// with a ConfError or an ExternalConfigError; never a crash, a hang or a
// deep recursion. The NSS database holds a certificate and key made once.
// Half the inputs are read beside ovs-monitor-ipsec's header, so that a
// %default reaches OVN's connections (ReadOvnDefaults).
#include <cryptopp/osrng.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "certificate.h"
#include "conf_parser.h"
#include "conf_resolve.h"
#include "ovs_monitor_conf.h"
#include "pluto_connections.h"

namespace {

const ipsecsim::external::NssStore& Store() {
  static const ipsecsim::external::NssStore store = [] {
    CryptoPP::AutoSeededRandomPool rng;
    CryptoPP::RSA::PrivateKey key;
    key.GenerateRandomWithKeySize(rng, 1024);
    ipsecsim::pki::CertificateSpec spec;
    spec.serial = {1};
    spec.subjectCn = "left_server";
    spec.notAfter = 4102444800;
    spec.isCa = true;
    spec.subjectKey = CryptoPP::RSA::PublicKey(key);
    ipsecsim::pki::ParseError error;
    const auto cert = ipsecsim::pki::ParseCertificate(
        ipsecsim::pki::BuildCertificate(spec, nullptr, key), &error);
    ipsecsim::external::NssStore s;
    s.Add({"left_server", *cert, key, true});
    return s;
  }();
  return store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Includes would read the file system: the loader is fuzzed on its own text.
  for (size_t at = text.find("include"); at != std::string::npos; at = text.find("include", at))
    text[at] = 'X';
  // Alone, and (the first byte's low bit) beside ovs-monitor-ipsec's
  // openshift.conf, whose merged %default then reaches OVN's conns.
  const bool withOvn = size > 0 && (data[0] & 1);
  try {
    ipsecsim::libreswan::ConfTree tree = ipsecsim::libreswan::ReadConfText(text, "fuzz.conf");
    if (withOvn) {
      const auto header = ipsecsim::libreswan::ReadConfText(
          ipsecsim::check::kOvsMonitorConfHeader,
          std::string("openshift.conf ") + ipsecsim::external::kOvnHeaderLabel);
      tree.sections.insert(tree.sections.end(), header.sections.begin(), header.sections.end());
    }
    const auto config = ipsecsim::libreswan::Resolve(tree);
    ipsecsim::external::LoadConnections(config, Store(), ipsecsim::ike::IpAddress::V4(0x0A00000B));
  } catch (const ipsecsim::libreswan::ConfError&) {
  } catch (const ipsecsim::external::ExternalConfigError&) {
  }
  return 0;
}
