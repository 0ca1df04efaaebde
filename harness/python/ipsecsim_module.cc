// The Python API: `import ipsecsim` runs scenarios and the ESP packet lab
// from Python (sweeps, notebooks, Dask workers). Reports come back as the
// same JSON document `ipsecsim run` writes, parsed into dicts.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <yaml-cpp/yaml.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "build_info.h"
#include "esp_codec.h"
#include "report.h"
#include "runner.h"
#include "scenario.h"

namespace py = pybind11;
using namespace ipsecsim;

namespace {

py::object ReportToDict(const harness::RunReport& report) {
  return py::module_::import("json").attr("loads")(harness::FormatJsonReport(report));
}

harness::RunOptions Options(const std::string& out, bool pcap, bool certs,
                            std::optional<uint64_t> seed) {
  harness::RunOptions o;
  o.outDir = out;
  o.pcap = pcap;
  o.certs = certs;
  o.seed = seed;
  if ((pcap || certs) && out.empty()) throw py::value_error("pcap and certs need out=DIR");
  return o;
}

// ns-3's simulator is one per process: runs from two threads (a Dask worker
// with several) take turns. The interpreter is released meanwhile, so that the
// worker keeps answering its scheduler during a long run.
harness::RunReport RunReleased(const harness::Scenario& sc, const harness::RunOptions& options) {
  static std::mutex simulator;
  py::gil_scoped_release released;
  std::lock_guard<std::mutex> turn(simulator);
  return harness::RunScenario(sc, options);
}

// Every scalar as its text: the loader types values itself, so a scenario
// round-trips through Python unchanged (a plain 4.10 stays "4.10").
nlohmann::ordered_json ScalarsAsText(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::ordered_json out = nlohmann::ordered_json::object();
      for (const auto& entry : node) out[entry.first.Scalar()] = ScalarsAsText(entry.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& item : node) out.push_back(ScalarsAsText(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      return node.Scalar();
    default:
      return nullptr;
  }
}

Bytes ToBytes(const py::bytes& b) {
  const std::string s = b;
  return Bytes(s.begin(), s.end());
}

std::unique_ptr<esp::GcmKey> Key(const py::bytes& keymat) {
  std::string error;
  auto key = esp::GcmKey::FromKeymat(ToBytes(keymat), &error);
  if (!key) throw py::value_error("keymat: " + error);
  return key;
}

}  // namespace

PYBIND11_MODULE(_ipsecsim, m) {
  m.doc() = "ipsecsim: IPsec in OpenShift/OKD OVN-Kubernetes clusters, simulated";
  m.attr("__version__") = harness::Build().version;
  m.attr("__build__") = harness::BuildSummary();
  py::register_exception<harness::ScenarioError>(m, "ScenarioError", PyExc_ValueError);

  m.def(
      "run_file",
      [](const std::string& path, const std::string& out, bool pcap, bool certs,
         std::optional<uint64_t> seed) {
        const harness::Scenario sc = harness::LoadScenarioFile(path);
        return ReportToDict(RunReleased(sc, Options(out, pcap, certs, seed)));
      },
      py::arg("path"), py::arg("out") = "", py::arg("pcap") = false, py::arg("certs") = false,
      py::arg("seed") = py::none(), "Runs a scenario file; returns report.json as a dict.");

  m.def(
      "run_text",
      [](const std::string& yaml, const std::string& name, const std::string& out, bool pcap,
         bool certs, std::optional<uint64_t> seed) {
        const harness::Scenario sc = harness::LoadScenarioText(yaml, name);
        return ReportToDict(RunReleased(sc, Options(out, pcap, certs, seed)));
      },
      py::arg("yaml"), py::arg("name") = "<string>", py::arg("out") = "", py::arg("pcap") = false,
      py::arg("certs") = false, py::arg("seed") = py::none(),
      "Runs a scenario given as YAML text; returns report.json as a dict.");

  m.def(
      "load_text",
      [](const std::string& yaml, const std::string& name) {
        harness::LoadScenarioText(yaml, name);
      },
      py::arg("yaml"), py::arg("name") = "<string>",
      "Loads a scenario without running it; raises ScenarioError if it does not load.");

  m.def(
      "yaml_to_json",
      [](const std::string& yaml, const std::string& name) {
        harness::LoadScenarioText(yaml, name);
        return ScalarsAsText(YAML::Load(yaml)).dump();
      },
      py::arg("yaml"), py::arg("name") = "<string>",
      "A scenario's YAML as JSON text with every scalar as its text, in file order; raises "
      "ScenarioError if it does not load.");

  m.def(
      "esp_encrypt",
      [](uint32_t spi, const py::bytes& keymat, uint64_t seq, const py::bytes& iv,
         uint8_t nextHeader, const py::bytes& payload, bool esn) {
        const Bytes ivBytes = ToBytes(iv);
        if (ivBytes.size() != esp::kIvLen) throw py::value_error("iv: expected 8 bytes");
        if (!esn && seq > UINT32_MAX) throw py::value_error("seq needs esn=True above 2^32-1");
        const Bytes p = ToBytes(payload);
        const Bytes out = Key(keymat)->Seal(spi, seq, esn, GetU64(ivBytes.data()), nextHeader,
                                            p.data(), p.size());
        return py::bytes(reinterpret_cast<const char*>(out.data()), out.size());
      },
      py::arg("spi"), py::arg("keymat"), py::arg("seq"), py::arg("iv"), py::arg("next_header"),
      py::arg("payload"), py::arg("esn") = false,
      "The ESP packet (SPI .. ICV), AES-GCM-16 per RFC 4106.");

  m.def(
      "esp_decrypt",
      [](const py::bytes& keymat, const py::bytes& packet, std::optional<uint32_t> esnHigh) {
        const Bytes p = ToBytes(packet);
        Bytes payload;
        uint8_t nh = 0;
        auto r = Key(keymat)->Open(p.data(), p.size(), esnHigh.has_value(), esnHigh.value_or(0),
                                   &payload, &nh);
        if (r != esp::GcmKey::OpenResult::kOk) throw py::value_error(esp::OpenResultName(r));
        return py::make_tuple(
            nh, py::bytes(reinterpret_cast<const char*>(payload.data()), payload.size()));
      },
      py::arg("keymat"), py::arg("packet"), py::arg("esn_high") = py::none(),
      "(next_header, payload); raises ValueError naming the failure.");
}
