// Libreswan's own reader as the oracle: `ipsec readwriteconf` (Debian's
// libreswan package) reads the same files, and both must agree on whether
// the tree loads, on the line of a fatal error, on which conns carry an
// error, and on the resolved values it prints.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "conf_checks.h"
#include "conf_keywords.h"
#include "conf_parser.h"
#include "conf_resolve.h"
#include "external_artifacts.h"

using namespace ipsecsim;

namespace {

const char* kReadWriteConf = "/usr/libexec/ipsec/readwriteconf";
const std::vector<std::string> kCompared = {"left",     "right",       "leftid", "rightid",
                                            "leftcert", "rightsubnet", "auto",   "type"};

struct LibreswanView {
  int exitCode = 0;
  std::string stderrText;
  std::vector<std::string> conns;                                    // in output order
  std::map<std::string, std::map<std::string, std::string>> values;  // last non-empty value
};

std::string Unquote(std::string v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

LibreswanView RunLibreswan(const std::string& file) {
  LibreswanView view;
  const std::string dir = test::MakeTempDir("lsw");
  const auto r =
      test::RunCommand(std::string(kReadWriteConf) + " --config " + file + " 2>" + dir + "/err");
  const Bytes err = test::ReadBytes(dir + "/err");
  view.exitCode = r.exitCode;
  view.stderrText.assign(err.begin(), err.end());
  std::string conn;
  size_t pos = 0;
  while (pos < r.output.size()) {
    size_t end = r.output.find('\n', pos);
    if (end == std::string::npos) end = r.output.size();
    const std::string line = r.output.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("conn ", 0) == 0) {
      conn = line.substr(5);
      view.conns.push_back(conn);
    } else if (line.rfind("config setup", 0) == 0) {
      conn.clear();
    } else if (!conn.empty() && line.size() > 1 && line[0] == '\t' && line[1] != '#') {
      const size_t eq = line.find('=');
      const std::string key = line.substr(1, eq - 1);
      const std::string value = Unquote(line.substr(eq + 1));
      if (!value.empty()) view.values[conn][key] = value;
    }
  }
  return view;
}

int LineOfLibreswanError(const std::string& text) {
  std::smatch m;
  if (std::regex_search(text, m, std::regex(R"(\.conf: ?(\d+):)"))) return std::stoi(m[1]);
  return 0;
}

void Compare(const std::string& file) {
  BOOST_TEST_CONTEXT(file) {
    const LibreswanView lsw = RunLibreswan(file);
    libreswan::ResolvedConfig ours;
    std::string fatal;
    int fatalLine = 0;
    try {
      ours = libreswan::Resolve(libreswan::ReadConfFile(file));
      libreswan::CheckLoadValues(ours);
    } catch (const libreswan::ConfError& e) {
      fatal = e.what();
      fatalLine = e.Where().line;
    }
    BOOST_TEST(fatal.empty() == (lsw.exitCode == 0),
               "ours: " << fatal << " | libreswan exit " << lsw.exitCode << ": " << lsw.stderrText);
    if (!fatal.empty()) {
      BOOST_TEST(fatalLine == LineOfLibreswanError(lsw.stderrText), lsw.stderrText);
      return;
    }
    std::vector<std::string> names;
    for (const auto& c : ours.conns) names.push_back(c.name);
    BOOST_TEST(names == lsw.conns, boost::test_tools::per_element());
    // Conns with an error: libreswan prints the message on stderr.
    for (const libreswan::ConfNotice& n : ours.notices) {
      if (n.level != libreswan::ConfNotice::Level::kError) continue;
      std::string message = n.message;
      const std::string loading = "while loading '";
      if (message.rfind(loading, 0) == 0) message = message.substr(message.find("': ") + 3);
      BOOST_TEST(lsw.stderrText.find(message) != std::string::npos, message);
    }
    if (ours.notices.empty()) BOOST_TEST(lsw.stderrText.find("ignoring") == std::string::npos);
    for (const auto& c : ours.conns) {
      const auto printed = lsw.values.find(c.name);
      if (printed == lsw.values.end() || !c.loaded) continue;
      for (const std::string& key : kCompared) {
        const std::string fallback = key == "auto" ? "ignore" : key == "type" ? "tunnel" : "";
        const std::string mine = libreswan::CanonicalValue(key, c.Get(key, fallback));
        const auto theirs = printed->second.find(key);
        if (theirs != printed->second.end())
          BOOST_TEST(mine == theirs->second, c.name << "." << key);
        else if (key != "auto" && key != "type" && key != "left" && key != "rightsubnet")
          BOOST_TEST(mine.empty(),
                     c.name << "." << key << " = " << mine << " not printed by libreswan");
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(libreswan_oracle)

BOOST_AUTO_TEST_CASE(reader_agrees_with_readwriteconf_on_the_corpus) {
  if (!std::filesystem::exists(kReadWriteConf)) {
    BOOST_TEST_MESSAGE("skipped: " << kReadWriteConf << " is absent (Debian package libreswan)");
    return;
  }
  std::vector<std::string> files = {"scenarios/external/ipsec-endpoint-config.conf"};
  for (const auto& entry : std::filesystem::directory_iterator("tests/data/libreswan"))
    if (entry.path().extension() == ".conf") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  BOOST_TEST(files.size() > 15u);
  for (const std::string& file : files) Compare(file);
}

BOOST_AUTO_TEST_SUITE_END()
