// One truth for install and API: the install-time `ipsec:` of a scenario is
// held to the release's API rules that its `oc patch` bodies meet, with the
// same words. Patches may be JSON strings, YAML maps or lists, files beside
// the scenario, or the documentation's `oc patch` command line, and all
// forms of one patch load to the same body.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cluster_lifecycle.h"
#include "run_command.h"
#include "scenario.h"
#include "shell_words.h"

using namespace ipsecsim::harness;
using nlohmann::json;

namespace {

std::string Cluster(const std::string& version, const std::string& ipsec) {
  return "name: s\n"   // 1
         "cluster:\n"  // 2
         "  version: \"" +
         version +
         "\"\n"                                                                     // 3
         "  pools: [{name: worker, nodes: 2}]\n" +                                  // 4
         (ipsec.empty() ? "  platform: baremetal\n" : "  ipsec: " + ipsec + "\n");  // 5
}

std::string WithSteps(const std::string& version, const std::string& steps) {
  return Cluster(version, "") +
         "lifecycle:\n"    // 6
         "  procedure:\n"  // 7
         "    steps:\n" +  // 8
         steps;            // 9...
}

std::string ErrorOf(const std::string& text, const std::string& file = "s.yaml") {
  try {
    LoadScenarioText(text, file);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

// The API server's words: from ".spec:" or "Network.operator" to the end.
std::string ApiWords(const std::string& message) {
  size_t at = message.find(".spec: ");
  if (at == std::string::npos) at = message.find("Network.operator");
  return at == std::string::npos ? "" : message.substr(at);
}

const std::string kEnableAlways =
    "{\"spec\":{\"defaultNetwork\":{\"ovnKubernetesConfig\":{\"ipsecConfig\":"
    "{\"mode\":\"Full\",\"full\":{\"encapsulation\":\"Always\"}}}}}}";
const std::string kEnable =
    "{\"spec\":{\"defaultNetwork\":{\"ovnKubernetesConfig\":{\"ipsecConfig\":{\"mode\":\"Full\"}}}}"
    "}";
const std::string kDisable =
    "[{\"op\":\"remove\", \"path\":\"/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig\"}]";

}  // namespace

BOOST_AUTO_TEST_SUITE(patch_forms)

BOOST_AUTO_TEST_CASE(install_time_ipsec_meets_the_rules_of_the_patches_with_their_words) {
  // 4.15: full.encapsulation is refused at install as in a patch, citing 4.16.
  const std::string install =
      ErrorOf(Cluster("4.15", "{mode: Full, full: {encapsulation: Always}}"));
  BOOST_TEST(install.find("s.yaml:5: cluster.ipsec: expected an ipsecConfig the 4.15 API accepts "
                          "at install, by the rules it applies to an oc patch of it") == 0u,
             install);
  BOOST_TEST(install.find("appears in 4.16") != std::string::npos);
  const std::string patch =
      ErrorOf(WithSteps("4.15", "      - merge_patch: '" + kEnableAlways + "'\n"));
  BOOST_TEST(patch.find("s.yaml:9: lifecycle.procedure.steps[0]: the API server refuses this") ==
             0u);
  BOOST_TEST(!ApiWords(install).empty());
  BOOST_TEST(ApiWords(install) == ApiWords(patch));
  // Encapsulation Auto is the same field.
  BOOST_TEST(ErrorOf(Cluster("4.15", "{mode: Full, full: {encapsulation: Auto}}"))
                 .find("appears in 4.16") != std::string::npos);
  // 4.16 has it.
  BOOST_TEST(ErrorOf(Cluster("4.16", "{mode: Full, full: {encapsulation: Always}}")).empty());
  // 4.13 and 4.14 take only the empty object: mode is refused, citing 4.15.
  for (const std::string version : {"4.13", "4.14", "4.14.12"}) {
    for (const std::string mode : {"Full", "Disabled", "External"}) {
      BOOST_TEST_CONTEXT(version << " " << mode) {
        const std::string e = ErrorOf(Cluster(version, "{mode: " + mode + "}"));
        BOOST_TEST(e.find("s.yaml:5: cluster.ipsec: expected an ipsecConfig the " + version +
                          " API accepts at install") == 0u,
                   e);
        BOOST_TEST(e.find("ipsecConfig.mode appears in 4.15") != std::string::npos);
      }
    }
    BOOST_TEST(ErrorOf(Cluster(version, "{}")).empty());
  }
  const std::string patch414 =
      ErrorOf(WithSteps("4.14", "      - merge_patch: '" + kEnable + "'\n"));
  BOOST_TEST(ApiWords(patch414) == ApiWords(ErrorOf(Cluster("4.14", "{mode: Full}"))));
  // nat_keepalive is Libreswan's, not the API's: any release takes it.
  BOOST_TEST(ErrorOf(Cluster("4.15", "{mode: Full, full: {nat_keepalive: 20s}}")).empty());
  BOOST_TEST(ErrorOf(Cluster("4.14", "{mode: Full, full: {nat_keepalive: 20s}}"))
                 .find("appears in 4.15") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_reference_scenario_meets_its_releases_api) {
  size_t loaded = 0;
  for (const auto& e : std::filesystem::directory_iterator("scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    BOOST_TEST_CONTEXT(e.path()) {
      BOOST_CHECK_NO_THROW(LoadScenarioFile(e.path().string()));
      ++loaded;
    }
  }
  BOOST_TEST(loaded >= 25u);
}

BOOST_AUTO_TEST_CASE(every_form_of_a_patch_loads_to_the_same_body) {
  namespace fs = std::filesystem;
  const std::string dir = ipsecsim::test::MakeTempDir("patch-forms");
  fs::create_directories(dir + "/patches");
  std::ofstream(dir + "/patches/enable.json") << kEnable << "\n";
  std::ofstream(dir + "/patches/enable.yaml")
      << "# enable IPsec\nspec:\n  defaultNetwork:\n    ovnKubernetesConfig:\n"
         "      ipsecConfig:\n        mode: Full\n";
  std::ofstream(dir + "/patches/disable.json") << kDisable << "\n";
  const std::string steps =
      "      - merge_patch: '" + kEnable + "'\n" + "      - json_patch: '" + kDisable + "'\n" +
      "      - merge_patch:\n"
      "          spec: {defaultNetwork: {ovnKubernetesConfig: {ipsecConfig: {mode: Full}}}}\n"
      "      - json_patch:\n"
      "          - {op: remove, path: /spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig}\n"
      "      - patch_file: patches/enable.json\n"
      "      - {patch_file: patches/disable.json, type: json}\n"
      "      - {patch_file: patches/enable.yaml, type: merge}\n"
      "      - json_patch: '" +
      kDisable +
      "'\n"
      // As printed in the documentation: prompt, continuation, -p with a space.
      "      - oc: |\n"
      "          $ oc patch networks.operator.openshift.io cluster --type=merge \\\n"
      "          -p '" +
      kEnable +
      "'\n"
      "      - oc: >-\n"
      "          oc patch networks.operator.openshift.io/cluster --type=json\n"
      "          -p='" +
      kDisable +
      "'\n"
      "      - oc: oc patch networks.operator.openshift.io cluster --type merge --patch-file "
      "patches/enable.json\n";
  std::ofstream(dir + "/s.yaml") << WithSteps("4.15", steps);
  const Scenario sc = LoadScenarioFile(dir + "/s.yaml");
  BOOST_TEST_REQUIRE(sc.lifecycle->steps.size() == 11u);
  const json enable = json::parse(kEnable), disable = json::parse(kDisable);
  for (size_t i = 0; i < sc.lifecycle->steps.size(); ++i) {
    const ProcedureStepSpec& step = sc.lifecycle->steps[i];
    const bool isEnable = i % 2 == 0;
    BOOST_TEST_CONTEXT("step " << i << ": " << step.body) {
      BOOST_TEST((step.kind == (isEnable ? ipsecsim::sim::LifecycleStep::Kind::kMergePatch
                                         : ipsecsim::sim::LifecycleStep::Kind::kJsonPatch)));
      BOOST_TEST(json::parse(step.body) == (isEnable ? enable : disable));
    }
  }
  // The string form stays verbatim.
  BOOST_TEST(sc.lifecycle->steps[0].body == kEnable);
  // A patch file is named, never echoed, where the step is shown.
  BOOST_TEST(sc.lifecycle->steps[0].patchFile.empty());
  BOOST_TEST(sc.lifecycle->steps[4].patchFile == "patches/enable.json");
  BOOST_TEST(sc.lifecycle->steps[10].patchFile == "patches/enable.json");
  ipsecsim::sim::LifecycleStep shown;
  shown.kind = ipsecsim::sim::LifecycleStep::Kind::kJsonPatch;
  shown.body = kDisable;
  shown.patchFile = "patches/disable.json";
  BOOST_TEST(shown.Describe() ==
             "oc patch networks.operator.openshift.io cluster --type=json --patch-file "
             "patches/disable.json");
}

BOOST_AUTO_TEST_CASE(bad_forms_name_the_file_line_and_what_oc_or_the_shell_would_do) {
  struct Case {
    std::string step, expect;
  };
  const std::string prefix = "s.yaml:9: lifecycle.procedure.steps[0]";
  const std::vector<Case> cases = {
      {"- oc: oc patch networks.operator.openshift.io cluster --type=merge -p $BODY",
       ".oc: expected `oc patch networks.operator.openshift.io cluster --type=merge -p '{...}'`: "
       "the shell would expand '$' here"},
      {"- oc: \"oc patch networks.operator.openshift.io cluster --type=merge -p `cat p`\"",
       "the shell would expand '`'"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=merge -p {\"a\":1,\"b\":2}",
       "the shell would expand the unquoted '{'"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=merge -p '{}' | tee x",
       "'|' is a shell operator"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=merge -p '{}",
       "a single quote opened at character 65 is never closed"},
      {"- oc: oc get networks.operator.openshift.io cluster",
       "expected an `oc patch` command line"},
      {"- oc: oc patch networks.operator.openshift.io other --type=merge -p '{}'",
       "expected a patch of networks.operator.openshift.io cluster"},
      {"- oc: oc patch networks.operator.openshift.io cluster -p '{}'",
       "oc's default, a strategic merge patch, is not supported"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=strategic -p '{}'",
       "oc's default, a strategic merge patch"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=apply -p '{}'",
       "expected --type=merge or --type=json, got --type=apply"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=merge",
       "expected the patch as"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=merge -p",
       "flag needs an argument: -p"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=merge -p '{}' --patch-file f",
       "either -p or --patch-file, not both"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=merge -p '{}' --dry-run",
       "flag --dry-run is not modelled"},
      {"- oc: oc patch networks.operator.openshift.io cluster --type=merge -p '{\"spec\":5}'",
       ": the API server refuses this: "},
      {"- {patch_file: nowhere.json}",
       ".patch_file: expected a readable patch file, but "
       "'nowhere.json' does not exist"},
      {"- {merge_patch: '{}', type: json}", ".type: expected type only beside patch_file"},
      {"- {patch_file: p.json, type: strategic}", ".type: expected one of merge, json"},
      {"- json_patch: {op: remove}", ".json_patch: expected a JSON patch: a list of operations"},
      {"- merge_patch: {spec: {a: 1, a: 2}}", ".merge_patch.spec.a: expected each key once"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.step) {
      const std::string e = ErrorOf(WithSteps("4.15", "      " + c.step + "\n"));
      BOOST_TEST(e.find(prefix) == 0u, e);
      BOOST_TEST(e.find(c.expect) != std::string::npos, e);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_bad_patch_file_is_reported_at_its_own_line) {
  const std::string dir = ipsecsim::test::MakeTempDir("patch-file");
  std::ofstream(dir + "/p.yaml") << "spec:\n  defaultNetwork:\n    - [unclosed\n";
  std::ofstream(dir + "/s.yaml") << WithSteps("4.15", "      - patch_file: p.yaml\n");
  const auto r = ipsecsim::test::RunCommand(ipsecsim::test::IpsecsimBinary() + " run " + dir +
                                            "/s.yaml --out " + dir + "/out 2>&1");
  BOOST_TEST(r.exitCode == 2);
  BOOST_TEST(r.output.find(dir + "/p.yaml:3: (document): invalid YAML: this '[' is never closed") !=
                 std::string::npos,
             r.output);
  // Larger than any patch.
  std::ofstream(dir + "/p.yaml") << "{\"spec\": \"" << std::string(70000, 'x') << "\"}\n";
  const auto big = ipsecsim::test::RunCommand(ipsecsim::test::IpsecsimBinary() + " run " + dir +
                                              "/s.yaml --out " + dir + "/out 2>&1");
  BOOST_TEST(big.exitCode == 2);
  BOOST_TEST(big.output.find("s.yaml:9: lifecycle.procedure.steps[0].patch_file: expected a patch "
                             "file of at most 65536 bytes") != std::string::npos,
             big.output);
  // Valid YAML that is no patch.
  std::ofstream(dir + "/p.yaml") << "just text\n";
  const auto text = ipsecsim::test::RunCommand(ipsecsim::test::IpsecsimBinary() + " run " + dir +
                                               "/s.yaml --out " + dir + "/out 2>&1");
  BOOST_TEST(text.exitCode == 2);
  BOOST_TEST(text.output.find(dir + "/p.yaml:1: (document): expected a patch") != std::string::npos,
             text.output);
}

BOOST_AUTO_TEST_CASE(the_splitter_reads_words_as_a_posix_shell_does) {
  auto words = [](const std::string& line) { return SplitShellWords(line).words; };
  using V = std::vector<std::string>;
  BOOST_TEST(words("a 'b c' \"d \\\"e\\\" \\$f\" g\\ h") == (V{"a", "b c", "d \"e\" $f", "g h"}));
  BOOST_TEST(words("a\\\nb  c # comment 'x\nd") == (V{"ab", "c", "d"}));
  BOOST_TEST(words("''  x\"\"") == (V{"", "x"}));
  BOOST_TEST(words("-p='{\"a\": [1, 2]}'") == (V{"-p={\"a\": [1, 2]}"}));
  BOOST_TEST(words("'it'\\''s'") == (V{"it's"}));
  BOOST_TEST(!SplitShellWords("a \"b").error.empty());
  BOOST_TEST(!SplitShellWords("a\\").error.empty());
  BOOST_TEST(!SplitShellWords("a; b").error.empty());
  BOOST_TEST(!SplitShellWords("~/p.json").error.empty());
  BOOST_TEST(!SplitShellWords("\"${X}\"").error.empty());
  BOOST_TEST(words("$ oc a$ \"b $\"") == (V{"$", "oc", "a$", "b $"}));
  BOOST_TEST(SplitShellWords("a~b").error.empty());
}

BOOST_AUTO_TEST_SUITE_END()
