#pragma once
// Moving an installation from one backend to another (`hub store copy`):
// every durable table, row by row, as text, in primary-key order. Leases,
// leadership and node rows are not copied: they belong to processes of the
// old installation.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hub::store {

class Store;

using TableRow = std::vector<std::optional<std::string>>;  // one value per column, NULL as nothing

struct TableSpec {
  std::string name;
  std::vector<std::string> columns;
  bool identity = false;  // has an id column the backend numbers (its counter follows the copy)
};

// The durable tables and their columns, the same in every backend's schema.
const std::vector<TableSpec>& durableTables();
// "a, b, c": the table's columns for a SELECT or INSERT list.
std::string columnList(const TableSpec& table);

// Implemented by each backend.
class Tables {
 public:
  virtual ~Tables() = default;
  virtual std::int64_t rowCount(const std::string& table) = 0;
  // Calls `batch` with up to `size` rows at a time until the table is read.
  virtual void scan(const TableSpec& table, std::size_t size, const std::function<void(const std::vector<TableRow>&)>& batch) = 0;
  // Inserts the rows in one transaction (ids kept; the id counter moves past them).
  virtual void load(const TableSpec& table, const std::vector<TableRow>& rows) = 0;
};

struct CopiedTable {
  std::string table;
  std::int64_t source_rows = 0, target_rows = 0;
};

// Copies every durable table of `from` into `to`, which must hold none of
// their rows, and counts both sides after. Throws StoreFault naming the table
// when the target is not empty or the counts differ.
std::vector<CopiedTable> copyStore(Store& from, Store& to, const std::function<void(const CopiedTable&)>& progress = {});

}  // namespace hub::store
