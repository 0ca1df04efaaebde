// A batch of scenarios: one output layout whatever the number of files, a
// summary with totals, and scenarios that check nothing said as such
// (failed with --strict).
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"

using namespace ipsecsim;
namespace fs = std::filesystem;

namespace {

std::string Scenario(const std::string& name, const std::string& expect) {
  return "name: " + name +
         "\ncluster:\n  pools: [{name: worker, nodes: 2}]\n  ipsec: {mode: Full}\n"
         "pods:\n  - {name: a, node: worker-0}\n  - {name: b, node: worker-1}\n"
         "flows:\n  - {name: ab, from: a, to: b, protocol: udp, port: 8080, packets: 3, "
         "size: 100}\n" +
         expect;
}

struct Batch {
  std::string dir;
  test::CommandResult run;
};

// Writes each (name, expect section) as its own file and runs them together.
Batch RunBatch(const std::vector<std::pair<std::string, std::string>>& scenarios,
               const std::string& flags = "") {
  Batch b{test::MakeTempDir("cli-batch"), {}};
  std::string files;
  for (const auto& [name, expect] : scenarios) {
    std::ofstream(b.dir + "/" + name + ".yaml") << Scenario(name, expect);
    files += " " + b.dir + "/" + name + ".yaml";
  }
  b.run = test::RunCommand(test::IpsecsimBinary() + " run" + files + " --out " + b.dir + "/out " +
                           flags + " 2>&1");
  return b;
}

const std::string kHolds = "expect:\n  - {flow: ab, verdict: encrypted}\n";
const std::string kFails = "expect:\n  - {flow: ab, verdict: plaintext}\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_batch)

BOOST_AUTO_TEST_CASE(one_file_writes_into_a_directory_named_after_its_scenario) {
  const Batch b = RunBatch({{"solo", kHolds}});
  BOOST_TEST(b.run.exitCode == 0, b.run.output);
  BOOST_TEST(fs::is_regular_file(b.dir + "/out/solo/report.json"));
  BOOST_TEST(fs::is_regular_file(b.dir + "/out/solo/junit.xml"));
  BOOST_TEST(!fs::exists(b.dir + "/out/report.json"));
  // One scenario: its own last line is the summary.
  BOOST_TEST(b.run.output.find("SUMMARY") == std::string::npos, b.run.output);
}

BOOST_AUTO_TEST_CASE(a_batch_ends_with_totals_and_names_what_checks_nothing) {
  const Batch b = RunBatch({{"holds", kHolds}, {"fails", kFails}, {"unchecked", ""}});
  BOOST_TEST(b.run.exitCode == 1, b.run.output);
  for (const char* name : {"holds", "fails", "unchecked"})
    BOOST_TEST(fs::is_regular_file(b.dir + "/out/" + name + "/report.json"), name);
  BOOST_TEST(
      b.run.output.find("no expectations: this scenario checks nothing") != std::string::npos,
      b.run.output);
  const std::string summary =
      "SUMMARY 3 scenarios: 1 passed, 1 failed, 1 with no expectations; expectations 1 passed, "
      "1 failed\nfailed: fails\nno expectations: unchecked\n";
  BOOST_TEST(b.run.output.size() >= summary.size());
  BOOST_TEST(b.run.output.substr(b.run.output.size() - summary.size()) == summary, b.run.output);
}

BOOST_AUTO_TEST_CASE(strict_fails_a_scenario_without_expectations) {
  const Batch lax = RunBatch({{"holds", kHolds}, {"unchecked", ""}});
  BOOST_TEST(lax.run.exitCode == 0, lax.run.output);
  const Batch strict = RunBatch({{"holds", kHolds}, {"unchecked", ""}}, "--strict");
  BOOST_TEST(strict.run.exitCode == 1, strict.run.output);
  BOOST_TEST(
      strict.run.output.find("1 with no expectations (failed: --strict)") != std::string::npos,
      strict.run.output);
  const Batch strictHolds = RunBatch({{"holds", kHolds}}, "--strict");
  BOOST_TEST(strictHolds.run.exitCode == 0, strictHolds.run.output);
}

BOOST_AUTO_TEST_SUITE_END()
