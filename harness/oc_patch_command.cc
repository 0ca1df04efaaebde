#include "oc_patch_command.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "shell_words.h"

namespace ipsecsim::harness {

namespace {

// oc matches resource names case-insensitively: the MTU change procedure
// writes `Network.operator.openshift.io`.
bool IsNetworkOperatorResource(std::string word) {
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return word == "networks.operator.openshift.io" || word == "network.operator.openshift.io";
}

// --name=value or --name value; true when words[*i] is the flag.
bool FlagValue(const std::vector<std::string>& words, size_t* i, const std::string& name,
               std::string* value, std::string* error) {
  const std::string& word = words[*i];
  if (word.rfind(name + "=", 0) == 0) {
    *value = word.substr(name.size() + 1);
    return true;
  }
  if (word != name) return false;
  if (*i + 1 == words.size()) {
    *error = "oc: flag needs an argument: " + name;
    return true;
  }
  *value = words[++*i];
  return true;
}

}  // namespace

std::optional<OcPatchCommand> ParseOcPatchCommand(const std::string& commandLine,
                                                  std::string* error) {
  const ShellWords split = SplitShellWords(commandLine);
  if (!split.error.empty()) {
    *error = split.error;
    return std::nullopt;
  }
  std::vector<std::string> words = split.words;
  if (!words.empty() && words[0] == "$") words.erase(words.begin());  // a pasted prompt
  if (words.size() < 2 || (words[0] != "oc" && words[0] != "kubectl") || words[1] != "patch") {
    *error = "expected an `oc patch` command line";
    return std::nullopt;
  }
  OcPatchCommand command;
  std::string type, resource, name;
  bool hasBody = false, hasFile = false;
  for (size_t i = 2; i < words.size() && error->empty(); ++i) {
    std::string value;
    if (FlagValue(words, &i, "--type", &value, error)) {
      type = value;
    } else if (FlagValue(words, &i, "-p", &value, error) ||
               FlagValue(words, &i, "--patch", &value, error)) {
      command.body = value;
      hasBody = true;
    } else if (FlagValue(words, &i, "--patch-file", &value, error)) {
      command.patchFile = value;
      hasFile = true;
    } else if (words[i].rfind("-", 0) == 0) {
      *error = "oc patch flag " + words[i] +
               " is not modelled; expected only --type, -p (--patch) or --patch-file";
    } else if (resource.empty()) {
      resource = words[i];
    } else if (name.empty()) {
      name = words[i];
    } else {
      *error = "unexpected argument '" + words[i] + "' after " + resource + " " + name;
    }
  }
  if (!error->empty()) return std::nullopt;
  const size_t slash = resource.find('/');
  if (slash != std::string::npos && name.empty()) {
    name = resource.substr(slash + 1);
    resource.resize(slash);
  }
  if (!IsNetworkOperatorResource(resource) || name != "cluster") {
    *error =
        "expected a patch of networks.operator.openshift.io cluster (the Network "
        "operator's configuration), got '" +
        resource + (name.empty() ? "" : " " + name) + "'";
    return std::nullopt;
  }
  if (type != "merge" && type != "json") {
    *error = type.empty() || type == "strategic"
                 ? "expected --type=merge or --type=json: oc's default, a strategic merge "
                   "patch, is not supported for networks.operator.openshift.io, a custom "
                   "resource"
                 : "expected --type=merge or --type=json, got --type=" + type;
    return std::nullopt;
  }
  command.json = type == "json";
  if (hasBody == hasFile) {
    *error = hasBody ? "expected either -p or --patch-file, not both"
                     : "expected the patch as -p '{...}' or --patch-file FILE";
    return std::nullopt;
  }
  return command;
}

}  // namespace ipsecsim::harness
