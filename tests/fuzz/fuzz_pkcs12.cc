// libFuzzer target for the PKCS#12 reader: any input must read, or fail
// with a BundleError whose byte offset lies inside the input. Iterations are
// capped low so that each input stays fast.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "bundle_identity.h"
#include "pkcs12_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ipsecsim::Bytes input(data, data + size);
  ipsecsim::pkcs12::ReadBundleLimits limits;
  limits.maxIterations = 64;
  try {
    const auto bundle = ipsecsim::pkcs12::ReadBundle(input, "", limits);
    ipsecsim::pkcs12::IdentifyBundle(bundle);
  } catch (const ipsecsim::pkcs12::BundleError& e) {
    if (e.Offset() > size) std::abort();
  }
  return 0;
}
