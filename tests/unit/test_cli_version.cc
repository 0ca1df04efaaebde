// One version everywhere: `ipsecsim --version`, `--help`, report.json and
// junit.xml name the same ipsecsim and build.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "run_command.h"

using namespace ipsecsim;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_version)

BOOST_AUTO_TEST_CASE(version_help_report_and_junit_name_one_build) {
  auto version = test::RunCommand(test::IpsecsimBinary() + " --version 2>&1");
  BOOST_TEST(version.exitCode == 0, version.output);
  std::smatch m;
  const std::regex shape(R"(^ipsecsim (\d+\.\d+\.\d+) \(git ([^,]+), ([^,]+), ([^)]*)\)\n$)");
  BOOST_REQUIRE_MESSAGE(std::regex_match(version.output, m, shape), version.output);
  const std::string number = m[1], git = m[2], compiler = m[3], buildType = m[4];

  auto help = test::RunCommand(test::IpsecsimBinary() + " --help 2>&1");
  BOOST_TEST(help.exitCode == 0);
  BOOST_TEST(
      help.output.find(version.output.substr(0, version.output.size() - 1)) != std::string::npos,
      help.output);

  const std::string dir = test::MakeTempDir("cli-version");
  auto run = test::RunCommand(test::IpsecsimBinary() + " run scenarios/flow-matrix.yaml --out " +
                              dir + " > /dev/null 2>&1");
  BOOST_REQUIRE_EQUAL(run.exitCode, 0);
  const std::string json = Slurp(dir + "/flow-matrix/report.json");
  BOOST_TEST(json.find("\"ipsecsim\": {\n    \"version\": \"" + number + "\",\n    \"git\": \"" +
                       git + "\",\n    \"compiler\": \"" + compiler +
                       "\",\n    \"build_type\": \"" + buildType + "\"") != std::string::npos,
             json.substr(0, 400));
  const std::string junit = Slurp(dir + "/flow-matrix/junit.xml");
  BOOST_TEST(junit.find("<property name=\"ipsecsim_version\" value=\"" + number + "\"/>") !=
                 std::string::npos,
             junit.substr(0, 1200));
  BOOST_TEST(junit.find("<property name=\"ipsecsim_build\" value=\"git " + git + ", " + compiler +
                        ", " + buildType + "\"/>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
