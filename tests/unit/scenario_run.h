// Runs the ipsecsim binary on a scenario given as text and reads what it
// wrote: the exit code, the terminal output, report.json and junit.xml.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "run_command.h"

namespace ipsecsim::test {

struct ScenarioRun {
  int exitCode;
  std::string output;
  nlohmann::json report;
  std::string junit;
};

// `name` must be the scenario's name: its reports are in <out>/<name>/.
inline ScenarioRun RunScenarioText(const std::string& tag, const std::string& name,
                                   const std::string& text) {
  const std::string dir = MakeTempDir(tag);
  const std::string file = dir + "/" + name + ".yaml";
  std::ofstream(file) << text;
  const auto r = RunCommand(IpsecsimBinary() + " run " + file + " --out " + dir + "/out 2>&1");
  const std::string out = dir + "/out/" + name;
  return {r.exitCode, r.output, nlohmann::json::parse(ReadText(out + "/report.json")),
          ReadText(out + "/junit.xml")};
}

}  // namespace ipsecsim::test
