#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mappings/engine/compiled.h"

namespace hub::mapping {

const std::string& Mapping::name() const { return impl_->name; }
const std::string& Mapping::version() const { return impl_->version; }
const Endpoint& Mapping::source() const { return impl_->source; }
const Endpoint& Mapping::target() const { return impl_->target; }
const std::string& Mapping::file() const { return impl_->file; }

tl::expected<Mapping, hub::Problems> MappingCatalog::loadString(const std::string& yaml, const std::string& fileName) {
  auto compiled = detail::compileMapping(yaml, fileName);
  if (!compiled) return tl::unexpected(compiled.error());
  Mapping m;
  m.impl_ = std::move(*compiled);
  return m;
}

tl::expected<Mapping, hub::Problems> MappingCatalog::loadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected(hub::Problems{{{path, 0, 0}, "cannot read the mapping file"}});
  std::stringstream text;
  text << in.rdbuf();
  return loadString(text.str(), path);
}

tl::expected<MappingCatalog, hub::Problems> MappingCatalog::loadDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return tl::unexpected(hub::Problems{{{dir, 0, 0}, "not a directory"}});
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  MappingCatalog catalog;
  hub::Problems problems;
  for (const auto& file : files) {
    auto m = loadFile(file.string());
    if (!m) {
      problems.insert(problems.end(), m.error().begin(), m.error().end());
      continue;
    }
    auto [it, added] = catalog.mappings_.emplace(m->name(), *m);
    if (!added)
      problems.push_back({{file.string(), 1, 1},
                          "mapping name '" + m->name() + "' is already used by " + it->second.file()});
  }
  if (!problems.empty()) return tl::unexpected(problems);
  return catalog;
}

const Mapping* MappingCatalog::find(const std::string& name) const {
  auto it = mappings_.find(name);
  return it == mappings_.end() ? nullptr : &it->second;
}

std::vector<std::string> MappingCatalog::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : mappings_) out.push_back(name);
  return out;
}

}  // namespace hub::mapping
