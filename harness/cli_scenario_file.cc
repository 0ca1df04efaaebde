#include "cli_scenario_file.h"

#include <algorithm>
#include <optional>

#include "artifact_kind.h"
#include "cli_numbers.h"
#include "external_setup.h"
#include "user_file.h"

namespace ipsecsim::cli {

namespace {

// A text file that is binary only for its NUL bytes (a NUL typed into a name
// or a comment) is refused at the first NUL, not as binary data. The bytes
// never reach the YAML reader.
std::optional<harness::ScenarioError> NulInText(const std::string& file) {
  std::string head;
  if (ReadUserFile(file, 1 << 20, head) != UserFile::kRead) return std::nullopt;
  const size_t nul = head.find('\0');
  if (nul == std::string::npos) return std::nullopt;
  std::string spaced = head;
  std::replace(spaced.begin(), spaced.end(), '\0', ' ');
  if (check::IdentifyContent(spaced) == check::ArtifactKind::kBinary) return std::nullopt;
  const int line = 1 + static_cast<int>(std::count(head.begin(), head.begin() + nul, '\n'));
  const size_t lineStart = head.rfind('\n', nul);
  const size_t column = lineStart == std::string::npos ? nul + 1 : nul - lineStart;
  return harness::ScenarioError(
      file, line, "(document)",
      "expected text, but column " + std::to_string(column) + " is a NUL byte (\\x00)");
}

}  // namespace

harness::Scenario LoadScenarioArgument(const std::string& file) {
  // Named, never misread as a scenario or dumped to the terminal.
  const check::Artifact artifact = check::IdentifyFile(file);
  if (artifact.kind == check::ArtifactKind::kBinary) {
    if (auto nul = NulInText(file)) throw UsageError{nul->what()};
  }
  // An empty file goes to the loader, which says so at FILE:0.
  if (artifact.kind != check::ArtifactKind::kScenario &&
      artifact.kind != check::ArtifactKind::kText &&
      artifact.kind != check::ArtifactKind::kMissing &&
      artifact.kind != check::ArtifactKind::kEmpty)
    throw UsageError{file + ": this looks like " + check::KindName(artifact.kind) +
                     ", not a scenario; " + check::HowToPass(artifact.kind)};
  try {
    harness::Scenario scenario = harness::LoadScenarioFile(file);
    // Its external-endpoint files too, before any simulation.
    if (scenario.external) scenario.externalSetup = harness::PrepareExternal(scenario);
    return scenario;
  } catch (const harness::ScenarioError& e) {
    throw UsageError{e.what()};
  }
}

}  // namespace ipsecsim::cli
