// The hostile-input campaign's regression cases (tests/data/bad/cases.tsv):
// each runs the real `ipsecsim` binary on a hostile file or command line and
// must end with the expected exit code and message within 60 s, never by a
// signal.
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.h"

using namespace ipsecsim;

namespace {

const std::string kBadDir = "tests/data/bad";

struct Case {
  int line = 0;
  std::string command;
  std::string setup;
  int exitCode = 0;
  std::string message;
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
  return fields;
}

std::vector<Case> LoadCases() {
  std::ifstream in(kBadDir + "/cases.tsv");
  std::vector<Case> cases;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> f = SplitTabs(line);
    BOOST_REQUIRE_MESSAGE(f.size() == 4, "cases.tsv:" << number << ": expected 4 fields");
    cases.push_back({number, f[0], f[1], std::stoi(f[2]), f[3]});
  }
  return cases;
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

const char* kCluster = "cluster:\n  pools: [{name: worker, nodes: 2}]\n";

// Inputs too large to commit, or naming the case's output directory.
std::string Generated(const std::string& kind, const std::string& out) {
  if (kind == "long-link-rate")
    return "name: long\ncluster:\n  link_rate: " + Repeat("1", 30000) +
           "Gbps\n  pools: [{name: worker, nodes: 2}]\n";
  if (kind == "long-duration")
    return "name: long\nduration: " + Repeat("1", 30000) + "s\n" + kCluster;
  if (kind == "deep-patch")
    return "name: deep\ncluster:\n  version: \"4.15\"\n  pools: [{name: worker, nodes: 2}]\n"
           "lifecycle:\n  procedure:\n    steps:\n      - merge_patch: '" +
           Repeat("[", 50000) + Repeat("]", 50000) + "'\n";
  if (kind == "deep-yaml")
    return std::string("name: deep\n") + kCluster + "pods: " + Repeat("[", 50000) +
           Repeat("]", 50000) + "\n";
  if (kind.rfind("pods-", 0) == 0) {
    const int pods = std::stoi(kind.substr(5));
    std::string text = std::string("name: pods\n") + kCluster + "pods:\n";
    for (int i = 0; i < pods; ++i)
      text +=
          "  - {name: p" + std::to_string(i) + ", node: worker-" + std::to_string(i % 2) + "}\n";
    return text;
  }
  if (kind == "include-fifo.conf") return "include " + out + "/fifo\nconn a\n    right=192.0.2.1\n";
  if (kind == "conn-name-1m.conf")  // was a stack overflow in std::regex_match
    return "conn " + Repeat("n", 1 << 20) + "\n    right=192.0.2.1\n";
  if (kind == "butane-2m-quoted.bu")  // its first MiB, cut inside the quote, is no YAML
    return "variant: openshift\nversion: 4.14.0\nmetadata:\n  name: 99-worker-big\n  labels:\n"
           "    machineconfiguration.openshift.io/role: worker\nstorage:\n  files:\n"
           "  - path: /etc/big\n    contents:\n      inline: \"" +
           Repeat("i", 2 << 20) + "\"\n";
  if (kind == "patch-file-long-number") {  // likewise, in the patch's YAML scalars
    std::ofstream(out + "-number.yaml") << "spec:\n  x: " << Repeat("1", 65000) << "\n";
    return "name: long-number\ncluster:\n  version: \"4.15\"\n  pools: [{name: worker, nodes: 2}]\n"
           "lifecycle:\n  procedure:\n    steps:\n      - patch_file: " +
           std::filesystem::path(out + "-number.yaml").filename().string() + "\n";
  }
  BOOST_FAIL("unknown generated input " + kind);
  return "";
}

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() > tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A file committed in tests/data/bad.
bool IsDataFile(const std::string& word) {
  return EndsWith(word, ".yaml") || EndsWith(word, ".bu") || EndsWith(word, ".conf");
}

// The case's command line with its placeholders replaced.
std::string Expand(const Case& c, const std::string& out) {
  std::istringstream words(c.command);
  std::string expanded;
  for (std::string word; words >> word;) {
    if (word.rfind("GEN:", 0) == 0) {
      const std::string kind = word.substr(4);
      // A kind without an extension is a scenario.
      const std::string file = out + "-" + kind + (IsDataFile(kind) ? "" : ".yaml");
      std::ofstream(file) << Generated(kind, out);
      word = file;
    } else if (word.rfind("LONG:", 0) == 0) {  // an argument of that many characters
      word = Repeat("a", std::stoul(word.substr(5)));
    } else if (word.rfind("DEEP:", 0) == 0) {  // a sweep parameter path of that many keys
      word = "a" + Repeat(".a", std::stoul(word.substr(5)) - 1) + "=1";
    } else if (IsDataFile(word)) {
      word = kBadDir + "/" + word;
    } else if (word.rfind("OUT", 0) == 0) {
      word = out + word.substr(3);
    }
    expanded += " " + word;
  }
  return expanded;
}

void Setup(const Case& c, const std::string& out) {
  if (c.setup == "-") return;
  const size_t colon = c.setup.find(':');
  const std::string what = c.setup.substr(0, colon);
  const std::filesystem::path path = std::filesystem::path(out) / c.setup.substr(colon + 1);
  std::filesystem::create_directories(path.parent_path());
  if (what == "mkdir")
    std::filesystem::create_directories(path);
  else if (what == "touch")
    std::ofstream(path.string()) << "";
  else if (what == "mkfifo")  // with no writer: opening it to read would block
    BOOST_REQUIRE(mkfifo(path.c_str(), 0600) == 0);
  else
    BOOST_FAIL("cases.tsv:" << c.line << ": unknown setup " << c.setup);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bad_inputs)

BOOST_AUTO_TEST_CASE(every_hostile_case_exits_with_its_code_and_message_in_time) {
  const std::vector<Case> cases = LoadCases();
  BOOST_REQUIRE(cases.size() >= 30);
  const std::string dir = test::MakeTempDir("bad-inputs");
  for (const Case& c : cases) {
    const std::string out = dir + "/case" + std::to_string(c.line);
    Setup(c, out);
    const std::string command =
        "timeout -s KILL 60 " + test::IpsecsimBinary() + " " + Expand(c, out) + " 2>&1";
    const auto start = std::chrono::steady_clock::now();
    const test::CommandResult r = test::RunCommand(command);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST_CONTEXT("cases.tsv:" << c.line << ": " << c.command << " (" << seconds << " s)\n"
                                    << r.output.substr(0, 2000)) {
      BOOST_TEST(r.exitCode == c.exitCode);
      BOOST_TEST(r.output.find(c.message) != std::string::npos);
      // One short line: error listings stay bounded however large the input.
      BOOST_TEST(r.output.size() < 2000u);
      BOOST_TEST(seconds < 60);
    }
  }
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(the_output_checks_leave_a_good_run_alone) {
  const std::string dir = test::MakeTempDir("bad-inputs-good");
  const test::CommandResult r =
      test::RunCommand(test::IpsecsimBinary() + " run " + kBadDir +
                       "/good.yaml --pcap --certs --out " + dir + " 2>&1");
  BOOST_TEST(r.exitCode == 0, r.output);
  const std::string reports = dir + "/good";  // DIR/<scenario name>
  for (const char* file : {"report.json", "junit.xml"})
    BOOST_TEST(std::filesystem::is_regular_file(reports + "/" + file), file);
  for (const char* sub : {"pcap", "keys", "certs"})
    BOOST_TEST(!std::filesystem::is_empty(reports + "/" + sub), sub);
  // No temporary file is left beside the reports.
  for (const auto& entry : std::filesystem::directory_iterator(reports))
    BOOST_TEST(entry.path().string().find(".tmp") == std::string::npos, entry.path());
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
