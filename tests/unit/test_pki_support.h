// Helpers shared by the PKI tests: a temporary directory, running the
// openssl CLI as an independent oracle, and a small cluster built from a
// fixed seed (keys are memoised per seed and label, so the cases that share
// it pay for RSA key generation once).
#pragma once

#include <sys/wait.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "node_enrollment.h"
#include "operator_signer.h"
#include "pem.h"

namespace pkitest {

using namespace ipsecsim;
using namespace ipsecsim::pki;

constexpr uint64_t kSeed = 20260101;
constexpr int64_t kInstallEpoch = 1767225600;  // 2026-01-01T00:00:00Z

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ipsecsim-pki-XXXXXX").string();
    BOOST_REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& Path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr together
};

inline CommandResult Run(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  BOOST_REQUIRE_MESSAGE(pipe != nullptr, "cannot run " << command);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  BOOST_REQUIRE_MESSAGE(out.good(), "cannot write " << path);
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Bytes ReadPemFile(const std::string& path, const std::string& label) {
  auto blocks = PemDecodeAll(ReadFile(path), label);
  BOOST_REQUIRE_EQUAL(blocks.size(), 1u);
  return blocks.front();
}

// A signer and nodes enrolled at install time, all from kSeed.
struct SmallCluster {
  PkiEventLog events;
  OperatorSigner signer;
  std::vector<NodeEnrollment> nodes;

  explicit SmallCluster(size_t nodeCount = 2, int64_t install = kInstallEpoch,
                        uint64_t seed = kSeed)
      : signer(SignerConfig{seed}, &events) {
    signer.CreateCa(install);
    for (size_t i = 0; i < nodeCount; ++i) {
      nodes.emplace_back("worker-" + std::to_string(i),
                         "5d1e8b2c-0000-4000-8000-00000000000" + std::to_string(i), seed);
      BOOST_REQUIRE(StartIpsecPod(nodes.back(), signer, install, &events) ==
                    PodStartOutcome::kRenewed);
    }
  }
  const Certificate& Ca() const { return signer.Current().cert; }
  const Certificate& NodeCert(size_t i) const { return *nodes.at(i).Cert(); }
};

}  // namespace pkitest
