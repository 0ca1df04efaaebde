#include "import_script.h"

namespace ipsecsim::check {

namespace {

// Shell words of one line: quotes removed, a # word starts a comment.
std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool inWord = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\'' || c == '"') {
      const size_t end = line.find(c, i + 1);
      word += line.substr(i + 1, (end == std::string::npos ? line.size() : end) - i - 1);
      inWord = true;
      i = end == std::string::npos ? line.size() : end;
    } else if (c == ' ' || c == '\t') {
      if (inWord) words.push_back(word);
      word.clear();
      inWord = false;
    } else if (c == '#' && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push_back(word);
  return words;
}

std::string Option(const std::vector<std::string>& w, const std::string& flag,
                   bool* found = nullptr) {
  for (size_t i = 1; i + 1 < w.size(); ++i)
    if (w[i] == flag) {
      if (found) *found = true;
      return w[i + 1];
    }
  return "";
}

bool Has(const std::vector<std::string>& w, const std::string& flag) {
  for (size_t i = 1; i < w.size(); ++i)
    if (w[i] == flag) return true;
  return false;
}

}  // namespace

ImportScript ParseImportScript(const std::string& text) {
  ImportScript script;
  int lineNo = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    if (lineNo == 1 && line.rfind("#!", 0) == 0) {
      const std::vector<std::string> w = Words(line.substr(2));
      for (size_t i = 1; i < w.size(); ++i) script.stopsOnError |= w[i] == "-e";
      continue;
    }
    const std::vector<std::string> w = Words(line);
    if (w.empty()) continue;
    if (w[0] == "set" && w.size() > 1 && w[1].find('e') != std::string::npos && w[1][0] == '-')
      script.stopsOnError = true;
    ScriptCommand c;
    c.line = lineNo;
    c.text = line.substr(line.find_first_not_of(" \t"));
    c.nickname = Option(w, "-n");
    c.file = Option(w, "-i");
    if (w[0] == "certutil" && Has(w, "-A")) {
      c.kind = ScriptCommand::Kind::kAddCertificate;
    } else if (w[0] == "certutil" && Has(w, "-M")) {
      c.kind = ScriptCommand::Kind::kModifyTrust;
    } else if (w[0] == "pk12util" && Has(w, "-i")) {
      c.kind = ScriptCommand::Kind::kImportBundle;
      c.password = Option(w, "-W", &c.passwordGiven);
    } else {
      continue;
    }
    script.commands.push_back(c);
  }
  return script;
}

ImportScript DocumentedImportScript(const std::string& caFile, const std::string& bundleFile) {
  return ParseImportScript(
      "#!/bin/bash -e\n"
      "echo \"importing cert to NSS\"\n"
      "certutil -A -n \"CA\" -t \"CT,C,C\" -d /var/lib/ipsec/nss/ -i " +
      caFile + "\n" + "pk12util -W \"\" -i " + bundleFile + " -d /var/lib/ipsec/nss/\n" +
      "certutil -M -n \"left_server\" -t \"u,u,u\" -d /var/lib/ipsec/nss/\n");
}

ImportRun RunImportScript(const ImportScript& script, const ImportFiles& files) {
  ImportRun run;
  for (const ScriptCommand& c : script.commands) {
    StepResult step{&c, true, ""};
    switch (c.kind) {
      case ScriptCommand::Kind::kAddCertificate: {
        auto certs = files.certificates(c.file);
        if (!certs || certs->empty()) {
          step.ok = false;
          step.output = "certutil: unable to open \"" + c.file + "\" for reading";
        } else if (!run.db.BySubject(certs->front().subjectName)) {
          run.db.Add({c.nickname, certs->front().subjectName, false});
        }
        break;
      }
      case ScriptCommand::Kind::kImportBundle: {
        auto bundle = files.bundle(c.file, c);
        if (!bundle) {
          step.ok = false;
          step.output = "pk12util: the bundle " + c.file + " cannot be imported";
        } else {
          const pkcs12::NicknameChoice choice = pkcs12::ImportBundle(run.db, *bundle);
          step.ok = choice.rule != pkcs12::NicknameChoice::Rule::kFailed;
          step.output = choice.output;
        }
        break;
      }
      case ScriptCommand::Kind::kModifyTrust: {
        if (auto error = pkcs12::ModifyTrust(run.db, c.nickname)) {
          step.ok = false;
          step.output = *error;
        }
        break;
      }
    }
    run.steps.push_back(step);
    if (!step.ok && script.stopsOnError) {
      run.stopped = true;
      break;
    }
  }
  return run;
}

}  // namespace ipsecsim::check
