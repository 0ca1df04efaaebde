#include "cli_scenario_file.h"

#include "artifact_kind.h"
#include "cli_numbers.h"

namespace ipsecsim::cli {

harness::Scenario LoadScenarioArgument(const std::string& file) {
  // Named, never misread as a scenario or dumped to the terminal.
  const check::Artifact artifact = check::IdentifyFile(file);
  if (artifact.kind != check::ArtifactKind::kScenario &&
      artifact.kind != check::ArtifactKind::kText && artifact.kind != check::ArtifactKind::kMissing)
    throw UsageError{file + ": this looks like " + check::KindName(artifact.kind) +
                     ", not a scenario; " + check::HowToPass(artifact.kind)};
  try {
    return harness::LoadScenarioFile(file);
  } catch (const harness::ScenarioError& e) {
    throw UsageError{e.what()};
  }
}

}  // namespace ipsecsim::cli
