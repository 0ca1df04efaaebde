// Butane (openshift 4.14.0) translated by models/butane, against the
// MachineConfig written by hand from the Butane spec
// (scenarios/external/99-ipsec-worker-endpoint-config.yaml), and butane's
// strictness on bad input.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <sstream>

#include "butane_reader.h"
#include "data_url.h"
#include "external_artifacts.h"
#include "machine_config_io.h"
#include "machine_config_merge.h"

using namespace ipsecsim;
using namespace ipsecsim::butane;

namespace {

const std::string kDir = "scenarios/external";

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ReadResult Translate(const std::string& text, const std::string& filesDir = kDir) {
  return ReadButane(text, "t.bu", {filesDir, 1 << 20});
}

std::vector<std::string> Errors(const ReadResult& r) {
  std::vector<std::string> out;
  for (const ConfigNotice& n : r.notices)
    if (n.level == ConfigNotice::Level::kError) out.push_back(n.message);
  return out;
}

bool Mentions(const ReadResult& r, const std::string& text, ConfigNotice::Level level) {
  for (const ConfigNotice& n : r.notices)
    if (n.level == level && n.message.find(text) != std::string::npos) return true;
  return false;
}

const std::string kMinimal =
    "variant: openshift\nversion: 4.14.0\nmetadata:\n  name: x\n  labels:\n"
    "    machineconfiguration.openshift.io/role: worker\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(butane_translation)

BOOST_AUTO_TEST_CASE(documented_butane_equals_the_hand_written_machine_config) {
  const ReadResult bu = ReadButane(Read(kDir + "/99-ipsec-worker-endpoint-config.bu"),
                                   "99-ipsec-worker-endpoint-config.bu", {kDir, 1 << 20});
  BOOST_TEST(Errors(bu).empty());
  const ReadResult mc = ReadMachineConfig(Read(kDir + "/99-ipsec-worker-endpoint-config.yaml"),
                                          "99-ipsec-worker-endpoint-config.yaml");
  BOOST_TEST(Errors(mc).empty());
  const MachineConfig& a = bu.config;
  const MachineConfig& b = mc.config;
  BOOST_TEST(a.name == b.name);
  BOOST_TEST(a.Role() == "worker");
  BOOST_CHECK(a.labels == b.labels);
  BOOST_TEST(a.ignitionVersion == "3.4.0");
  BOOST_TEST(b.ignitionVersion == "3.4.0");
  BOOST_TEST(a.extensions == b.extensions, boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(a.files.size(), b.files.size());
  for (size_t i = 0; i < a.files.size(); ++i) {
    BOOST_TEST_CONTEXT(a.files[i].path) {
      BOOST_TEST(a.files[i].path == b.files[i].path);
      BOOST_CHECK(a.files[i].mode == b.files[i].mode);
      BOOST_TEST(a.files[i].overwrite == b.files[i].overwrite);
      BOOST_CHECK(a.files[i].contents == b.files[i].contents);
      BOOST_TEST(a.files[i].compression == b.files[i].compression);
      // Re-reading what we emitted gives the same bytes.
      std::string why;
      BOOST_CHECK_MESSAGE(DecodeDataUrl(a.files[i].source, a.files[i].compression, &why) ==
                              std::optional<Bytes>(a.files[i].contents),
                          why);
    }
  }
  BOOST_TEST(*a.files[0].mode == 0400);
  BOOST_TEST(*a.files[3].mode == 0740);
  BOOST_REQUIRE_EQUAL(a.units.size(), b.units.size());
  for (size_t i = 0; i < a.units.size(); ++i) {
    BOOST_TEST(a.units[i].name == b.units[i].name);
    BOOST_CHECK(a.units[i].enabled == b.units[i].enabled);
    BOOST_CHECK(a.units[i].contents == b.units[i].contents);
  }
  // The emitted document has butane's shape.
  const nlohmann::json j = ToJson(a);
  BOOST_TEST(j["apiVersion"] == "machineconfiguration.openshift.io/v1");
  BOOST_TEST(j["spec"]["config"]["ignition"]["version"] == "3.4.0");
  BOOST_TEST(j["spec"]["extensions"][0] == "ipsec");
  BOOST_TEST(j["spec"]["config"]["storage"]["files"][0]["mode"] == 256);
}

BOOST_AUTO_TEST_CASE(data_urls_pick_butanes_smallest_encoding) {
  const std::string text = "abc-_.!~*'()";
  BOOST_TEST(MakeDataUrl(Bytes(text.begin(), text.end())).source == "data:," + text);
  const std::string spaced = "a b\n";
  BOOST_TEST(MakeDataUrl(Bytes(spaced.begin(), spaced.end())).source == "data:,a%20b%0A");
  const Bytes binary = {0x00, 0xff, 0x10, 0x80, 0x7f, 0x01};
  BOOST_TEST(MakeDataUrl(binary).source == "data:;base64,AP8QgH8B");
  const Bytes repetitive(4000, 'x');
  const EncodedContents gz = MakeDataUrl(repetitive);
  BOOST_TEST(gz.compression == "gzip");
  std::string why;
  BOOST_CHECK(DecodeDataUrl(gz.source, gz.compression, &why) == std::optional<Bytes>(repetitive));
  BOOST_TEST(!DecodeDataUrl("data:,%zz", "", &why));
  BOOST_TEST(!DecodeDataUrl("https://example.com/x", "", &why));
}

BOOST_AUTO_TEST_CASE(unknown_keys_are_butanes_unused_key_warning) {
  const ReadResult r =
      Translate(kMinimal + "storage:\n  files:\n  - path: /etc/x\n    mdoe: 0644\n");
  BOOST_TEST(Mentions(r, "warning at $.storage.files.0.mdoe: Unused key mdoe",
                      ConfigNotice::Level::kWarning));
}

BOOST_AUTO_TEST_CASE(local_without_a_files_directory_is_an_error) {
  const ReadResult r = Translate(
      kMinimal + "storage:\n  files:\n  - path: /etc/x\n    contents:\n      local: ca.pem\n", "");
  BOOST_TEST(
      Mentions(r,
               "error at $.storage.files.0.contents.local: local file paths are relative to a "
               "files directory that must be specified with -d/--files-dir",
               ConfigNotice::Level::kError));
  BOOST_REQUIRE(!r.notices.empty());
  BOOST_TEST(r.notices.back().where.line == 11);
}

BOOST_AUTO_TEST_CASE(local_path_escaping_the_directory_is_an_error) {
  const ReadResult r = Translate(
      kMinimal +
      "storage:\n  files:\n  - path: /etc/x\n    contents:\n      local: ../../etc/passwd\n");
  BOOST_TEST(Mentions(r, "local file path traverses outside the files directory",
                      ConfigNotice::Level::kError));
}

BOOST_AUTO_TEST_CASE(special_mode_bits_are_an_error_and_decimal_modes_a_warning) {
  const ReadResult setuid =
      Translate(kMinimal + "storage:\n  files:\n  - path: /etc/x\n    mode: 04755\n");
  BOOST_TEST(Mentions(setuid, "special mode bits are not supported in this spec version",
                      ConfigNotice::Level::kError));
  const ReadResult decimal =
      Translate(kMinimal + "storage:\n  files:\n  - path: /etc/x\n    mode: 644\n");
  BOOST_TEST(Mentions(decimal, "remember to add a leading zero", ConfigNotice::Level::kWarning));
  BOOST_TEST(*decimal.config.files[0].mode == 644);
  const ReadResult octal =
      Translate(kMinimal + "storage:\n  files:\n  - path: /etc/x\n    mode: 0o640\n");
  BOOST_TEST(*octal.config.files[0].mode == 0640);
}

BOOST_AUTO_TEST_CASE(forbidden_sections_and_schemes_are_errors) {
  BOOST_TEST(Mentions(Translate(kMinimal + "storage:\n  directories:\n  - path: /etc/d\n"),
                      "directories are not supported in this spec version",
                      ConfigNotice::Level::kError));
  BOOST_TEST(Mentions(
      Translate(kMinimal + "storage:\n  files:\n  - path: /etc/x\n    append:\n    - inline: a\n"),
      "appending to files is not supported", ConfigNotice::Level::kError));
  BOOST_TEST(Mentions(Translate(kMinimal + "storage:\n  files:\n  - path: /etc/x\n    contents:\n  "
                                           "    source: https://example.com/x\n"),
                      "file contents source must be data URL in this spec version",
                      ConfigNotice::Level::kError));
  BOOST_TEST(Mentions(
      Translate(
          kMinimal +
          "storage:\n  files:\n  - path: /etc/x\n    contents:\n      inline: a\n      local: b\n"),
      "only one of the following can be set: inline, local, source", ConfigNotice::Level::kError));
}

BOOST_AUTO_TEST_CASE(missing_name_and_role_are_errors) {
  const ReadResult r = Translate("variant: openshift\nversion: 4.14.0\nmetadata:\n  name: x\n");
  BOOST_TEST(Mentions(r, "machineconfiguration.openshift.io/role label is required",
                      ConfigNotice::Level::kError));
  BOOST_CHECK_THROW(Translate("version: 4.14.0\n"), ConfigError);
  BOOST_CHECK_THROW(Translate("variant: fcos\nversion: 1.5.0\n"), ConfigError);
}

// A billion laughs of ten: a0 ten scalars, each further level ten aliases
// of the one before.
std::string Laughs(int levels) {
  std::string text = "laughs:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < levels; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "  a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int j = 1; j < 10; ++j) text += ", " + prev;
    text += "]\n";
  }
  return text;
}

BOOST_AUTO_TEST_CASE(alias_expansion_is_bounded_as_butanes_yaml_decoder_bounds_it) {
  // 10^3 scalars through aliases: under yaml.v3's 99% share of the decodes.
  BOOST_TEST(Mentions(Translate(kMinimal + Laughs(3)), "Unused key laughs",
                      ConfigNotice::Level::kWarning));
  for (const int levels : {4, 10}) {
    const auto start = std::chrono::steady_clock::now();
    try {
      Translate(kMinimal + Laughs(levels));
      BOOST_FAIL("excessive aliasing must be refused");
    } catch (const ConfigError& e) {
      BOOST_TEST(std::string(e.what()).find("yaml: document contains excessive aliasing") !=
                     std::string::npos,
                 e.what());
    }
    BOOST_TEST(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 5);
  }
}

BOOST_AUTO_TEST_CASE(the_documented_loop_run_twice_duplicates_keys) {
  const std::string once = Read(kDir + "/99-ipsec-worker-endpoint-config.bu");
  try {
    Translate(once + once);
    BOOST_FAIL("duplicate keys must be refused");
  } catch (const ConfigError& e) {
    BOOST_TEST(std::string(e.what()).find("mapping key \"variant\" already defined at line 1") !=
                   std::string::npos,
               e.what());
  }
}

BOOST_AUTO_TEST_CASE(inline_contents_the_user_compressed_keep_their_compression) {
  const ReadResult r = Translate(
      kMinimal + "storage:\n  files:\n  - path: /etc/x\n    contents:\n      inline: plain\n");
  BOOST_TEST(r.config.files[0].source == "data:,plain");
  BOOST_TEST(r.config.files[0].compression == "");
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

MachineConfig Config(const std::string& name, const std::string& role) {
  MachineConfig mc;
  mc.name = name;
  mc.labels["machineconfiguration.openshift.io/role"] = role;
  return mc;
}

ConfigFile File(const std::string& path, const std::string& text) {
  ConfigFile f;
  f.path = path;
  f.contents = Bytes(text.begin(), text.end());
  return f;
}

}  // namespace

// The MCO's MergeMachineConfigs: worker-role configs first, each group by
// name; a later config's file of the same path, or unit of the same name,
// replaces the earlier one's fields; extensions add up.
BOOST_AUTO_TEST_CASE(a_pools_machineconfigs_merge_as_the_mco_renders_them) {
  MachineConfig b = Config("99-b", "worker");
  b.files.push_back(File("/etc/ipsec.d/x.conf", "from b"));
  b.extensions.push_back("ipsec");
  SystemdUnit enabled;
  enabled.name = "ipsec.service";
  enabled.enabled = true;
  b.units.push_back(enabled);
  MachineConfig a = Config("99-a", "worker");
  a.files.push_back(File("/etc/ipsec.d/x.conf", "from a"));
  a.files.push_back(File("/etc/pki/certs/ca.pem", "ca"));
  SystemdUnit disabled = enabled;
  disabled.enabled = false;
  disabled.contents = "[Service]\n";
  a.units.push_back(disabled);
  // An infra pool's own config sorts after every worker one, whatever its name.
  MachineConfig infra = Config("00-infra", "infra");
  infra.files.push_back(File("/etc/ipsec.d/x.conf", "from infra"));

  const MachineConfig merged = MergeMachineConfigs({b, infra, a});
  BOOST_TEST(merged.name == "99-a+99-b+00-infra");
  BOOST_REQUIRE(merged.FindFile("/etc/ipsec.d/x.conf"));
  const Bytes& x = merged.FindFile("/etc/ipsec.d/x.conf")->contents;
  BOOST_TEST(std::string(x.begin(), x.end()) == "from infra");
  BOOST_TEST(merged.FindFile("/etc/pki/certs/ca.pem") != nullptr);
  BOOST_REQUIRE(merged.FindUnit("ipsec.service"));
  BOOST_TEST(merged.FindUnit("ipsec.service")->enabled.value_or(false));  // 99-b's, later
  BOOST_TEST(merged.FindUnit("ipsec.service")->contents.value_or("") == "[Service]\n");  // kept
  BOOST_TEST(merged.extensions == std::vector<std::string>{"ipsec"});
  // Two workers' configs in name order: the later name wins the path.
  const MachineConfig workers = MergeMachineConfigs({b, a});
  const Bytes& y = workers.FindFile("/etc/ipsec.d/x.conf")->contents;
  BOOST_TEST(std::string(y.begin(), y.end()) == "from b");
}
