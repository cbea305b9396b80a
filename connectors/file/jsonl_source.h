#pragma once
// Reads JSON Lines files from an inbox in name order, one record per line.
//
// `resume` is {"file":F,"offset":BYTES,"line":N,"finished":[...]}: the next
// byte to read and the files the page that produced it read to the end.
// Those files move to the done folder at the start of the next pull: the
// engine only pulls again after committing the page, so a file leaves the
// inbox only once every line of it is committed. The page that finishes the
// last file is therefore never marked done; the pull after it moves the file
// and ends the scan with an empty page.
//
// A line that is not a JSON object, or has no key, becomes a Record with
// `problem` set, key "FILE:LINE" and payload {"file","line","raw"} ("raw_base64"
// when the bytes are not UTF-8), so the engine dead-letters it and the next
// line goes on. Blank lines are skipped. Producers should write a file under
// another name and rename it into the pattern when complete.
#include <functional>
#include <string_view>

#include "connectors/file/file_settings.h"
#include "connectors/spi/source.h"

namespace hub::connector::file {

class JsonlSource final : public Source {
 public:
  using Log = std::function<void(std::string_view event, const nlohmann::json& fields)>;
  JsonlSource(SourceOptions options, Log log);

  Page pull(const ScanRequest& request) override;
  std::string keyField() const override { return options_.key; }

 private:
  void retire(const std::string& name);
  Record decodeLine(const std::string& name, long long line, const std::string& text) const;
  SourceOptions options_;
  Log log_;
};

}  // namespace hub::connector::file
